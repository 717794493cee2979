"""The shared scan cache: what each file contributed to a scan, for every server process.

A new version usually repeats most of its files. Each server process already remembered
the files it had scanned, but with several processes (or hosts) a new version often
landed on one that had not seen them. Entries are keyed by the scanner's fingerprint,
so a release with other rules never reads an older release's entries.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scan_cache",
        sa.Column(
            "seq",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("facts", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_scan_cache")),
        sa.UniqueConstraint("key", name=op.f("uq_scan_cache_key")),
    )


def downgrade() -> None:
    op.drop_table("scan_cache")
