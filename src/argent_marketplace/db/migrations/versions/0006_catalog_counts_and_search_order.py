"""Catalog counts kept up to date, and SQLite's search index in popularity order.

* ``catalog_counts``: listed, visible packages per (category, pricing), so browse,
  category and pricing pages answer an exact total without counting (filled here).
* ``packages.search_rowid`` (SQLite): the package's rowid in ``package_search``. The
  rowids are rebuilt as ``popularity_bucket(total_downloads) << 55 | n`` so FTS5
  reads matches most-downloaded first (catalog/search.py); an index update now
  deletes by rowid instead of scanning the index for the package id. A covering
  index on it answers the search filters without reading the package rows.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_SHIFT = 55  # catalog.search.BUCKET_SHIFT at the time of writing

_FTS_OPTIONS = (
    "name, display_name, description, tags, package_id UNINDEXED, "
    "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4'"
)


def _bucket(downloads: int) -> int:
    """catalog.search.popularity_bucket at the time of writing (migrations stay fixed)."""
    n = max(int(downloads), 0) + 1
    length = n.bit_length()
    top = n >> (length - 3) if length >= 3 else n << (3 - length)
    return 4 * (length - 1) + (top & 3)


def upgrade() -> None:
    op.create_table(
        "catalog_counts",
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("pricing", sa.String(length=16), nullable=False),
        sa.Column("packages", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("category", "pricing", name=op.f("pk_catalog_counts")),
    )
    op.execute(
        "INSERT INTO catalog_counts (category, pricing, packages) "
        "SELECT category, pricing, COUNT(*) FROM packages "
        "WHERE listed AND latest_version_id IS NOT NULL GROUP BY category, pricing"
    )
    op.add_column("packages", sa.Column("search_rowid", sa.BigInteger(), nullable=True))
    if op.get_bind().dialect.name == "sqlite":
        _reorder_sqlite_index()


def _reorder_sqlite_index() -> None:
    conn = op.get_bind()
    rows = conn.execute(
        sa.text(
            "SELECT s.rowid, p.id, p.total_downloads FROM package_search s "
            "JOIN packages p ON p.id = s.package_id ORDER BY s.rowid"
        )
    ).all()
    seen: dict[int, int] = {}
    mapping = []
    for old, package_id, downloads in rows:  # oldest first: the newest read first in a bucket
        bucket = _bucket(downloads)
        seen[bucket] = seen.get(bucket, 0) + 1
        mapping.append({"old": old, "new": (bucket << _SHIFT) | seen[bucket], "id": package_id})
    op.execute("CREATE TEMP TABLE search_rowids (old INTEGER PRIMARY KEY, new INTEGER, id TEXT)")
    if mapping:
        conn.execute(
            sa.text("INSERT INTO search_rowids (old, new, id) VALUES (:old, :new, :id)"), mapping
        )
    op.execute("CREATE INDEX temp.ix_search_rowids_id ON search_rowids (id)")
    op.execute(f"CREATE VIRTUAL TABLE package_search_new USING fts5({_FTS_OPTIONS})")
    op.execute(
        "INSERT INTO package_search_new "
        "(rowid, name, display_name, description, tags, package_id) "
        "SELECT m.new, s.name, s.display_name, s.description, s.tags, s.package_id "
        "FROM package_search s JOIN search_rowids m ON m.old = s.rowid ORDER BY m.new"
    )
    op.execute("DROP TABLE package_search")
    op.execute("ALTER TABLE package_search_new RENAME TO package_search")
    op.execute(
        "UPDATE packages SET search_rowid = "
        "(SELECT m.new FROM search_rowids m WHERE m.id = packages.id)"
    )
    op.execute("DROP TABLE search_rowids")
    op.create_index(
        "ix_packages_search_rowid",
        "packages",
        [
            "search_rowid", "listed", "latest_version_id", "category", "pricing",
            "total_downloads", "name", "id",
        ],
    )  # fmt: skip


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # The index keeps its rowids: 0001's code only ever read them by package_id.
        op.drop_index("ix_packages_search_rowid", table_name="packages")
    # Not a batch (table copy): SQLite refuses to drop ``packages`` under its foreign keys.
    # ALTER TABLE ... DROP COLUMN needs SQLite 3.35 (2021).
    op.drop_column("packages", "search_rowid")
    op.drop_table("catalog_counts")
