"""Initial schema: accounts, catalog, pending blobs, server secrets, search index.

Revision ID: 0001
Revises:
Create Date: 2026-11-26 01:08:19.044404
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "authors",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("normalized_name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("verified", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_authors")),
        sa.UniqueConstraint("normalized_name", name=op.f("uq_authors_normalized_name")),
    )
    op.create_table(
        "pending_blobs",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("blob_key", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pending_blobs")),
    )
    op.create_index(op.f("ix_pending_blobs_blob_key"), "pending_blobs", ["blob_key"], unique=False)
    op.create_table(
        "server_secrets",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("value", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_server_secrets")),
    )
    op.create_table(
        "author_keys",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("author_id", sa.String(length=36), nullable=False),
        sa.Column("public_key", sa.String(length=44), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["author_id"], ["authors.id"], name=op.f("fk_author_keys_author_id_authors")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_author_keys")),
        sa.UniqueConstraint("public_key", name=op.f("uq_author_keys_public_key")),
    )
    op.create_index(
        "ix_author_keys_author_active", "author_keys", ["author_id", "revoked_at"], unique=False
    )
    op.create_index(op.f("ix_author_keys_author_id"), "author_keys", ["author_id"], unique=False)
    op.create_table(
        "packages",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("owner_id", sa.String(length=36), nullable=False),
        sa.Column("display_name", sa.String(length=100), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("tags", sa.Text(), nullable=False),
        sa.Column("pricing", sa.String(length=16), nullable=False),
        sa.Column("price_cents", sa.Integer(), nullable=False),
        sa.Column("listed", sa.Boolean(), nullable=False),
        sa.Column("latest_version_id", sa.String(length=36), nullable=True),
        sa.Column("latest_version", sa.String(length=64), nullable=True),
        sa.Column("total_downloads", sa.BigInteger(), nullable=False),
        sa.Column("rating", sa.Float(), nullable=False),
        sa.Column("rating_count", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["authors.id"], name=op.f("fk_packages_owner_id_authors")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_packages")),
        sa.UniqueConstraint("name", name=op.f("uq_packages_name")),
    )
    op.create_index("ix_packages_category", "packages", ["category"], unique=False)
    op.create_index(op.f("ix_packages_owner_id"), "packages", ["owner_id"], unique=False)
    op.create_index(
        "ix_packages_visible_downloads", "packages", ["listed", "total_downloads"], unique=False
    )
    op.create_index(
        "ix_packages_visible_updated", "packages", ["listed", "updated_at"], unique=False
    )
    op.create_table(
        "tokens",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("author_id", sa.String(length=36), nullable=True),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("scopes", sa.String(length=100), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["author_id"], ["authors.id"], name=op.f("fk_tokens_author_id_authors")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tokens")),
        sa.UniqueConstraint("digest", name=op.f("uq_tokens_digest")),
    )
    op.create_index(op.f("ix_tokens_author_id"), "tokens", ["author_id"], unique=False)
    op.create_table(
        "versions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("package_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("yanked", sa.Boolean(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("blob_key", sa.String(length=200), nullable=True),
        sa.Column("manifest", sa.Text(), nullable=False),
        sa.Column("changelog", sa.Text(), nullable=True),
        sa.Column("permissions", sa.Text(), nullable=False),
        sa.Column("tools", sa.Text(), nullable=False),
        sa.Column("argentos_range", sa.String(length=200), nullable=False),
        sa.Column("findings", sa.Text(), nullable=False),
        sa.Column("key_fingerprint", sa.String(length=64), nullable=False),
        sa.Column("author_id", sa.String(length=36), nullable=False),
        sa.Column("downloads", sa.BigInteger(), nullable=False),
        sa.Column("review_reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["author_id"], ["authors.id"], name=op.f("fk_versions_author_id_authors")
        ),
        sa.ForeignKeyConstraint(
            ["package_id"], ["packages.id"], name=op.f("fk_versions_package_id_packages")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_versions")),
        sa.UniqueConstraint("package_id", "version", name=op.f("uq_versions_package_id_version")),
    )
    op.create_index("ix_versions_sha256", "versions", ["sha256"], unique=False)
    op.create_index("ix_versions_status", "versions", ["status"], unique=False)
    op.create_table(
        "moderation_events",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("version_id", sa.String(length=36), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"], ["versions.id"], name=op.f("fk_moderation_events_version_id_versions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_moderation_events")),
    )
    op.create_index(
        op.f("ix_moderation_events_version_id"), "moderation_events", ["version_id"], unique=False
    )
    _create_search_index()


def _create_search_index() -> None:
    """Full-text search over name, display name, description and tags, per dialect."""
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        # Maintained by catalog.search on every change; prefix indexes make 'air*' cheap.
        op.execute(
            "CREATE VIRTUAL TABLE package_search USING fts5("
            "name, display_name, description, tags, package_id UNINDEXED, "
            "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4')"
        )
    elif dialect == "postgresql":
        op.execute("ALTER TABLE packages ADD COLUMN search_vector tsvector")
        op.execute("CREATE INDEX ix_packages_search_vector ON packages USING gin (search_vector)")
        op.execute("CREATE INDEX ix_packages_name_pattern ON packages (name text_pattern_ops)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS package_search")
    op.drop_index(op.f("ix_moderation_events_version_id"), table_name="moderation_events")
    op.drop_table("moderation_events")
    op.drop_index("ix_versions_status", table_name="versions")
    op.drop_index("ix_versions_sha256", table_name="versions")
    op.drop_table("versions")
    op.drop_index(op.f("ix_tokens_author_id"), table_name="tokens")
    op.drop_table("tokens")
    op.drop_index("ix_packages_visible_updated", table_name="packages")
    op.drop_index("ix_packages_visible_downloads", table_name="packages")
    op.drop_index(op.f("ix_packages_owner_id"), table_name="packages")
    op.drop_index("ix_packages_category", table_name="packages")
    op.drop_table("packages")
    op.drop_index(op.f("ix_author_keys_author_id"), table_name="author_keys")
    op.drop_index("ix_author_keys_author_active", table_name="author_keys")
    op.drop_table("author_keys")
    op.drop_table("server_secrets")
    op.drop_index(op.f("ix_pending_blobs_blob_key"), table_name="pending_blobs")
    op.drop_table("pending_blobs")
    op.drop_table("authors")
