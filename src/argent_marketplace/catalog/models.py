"""Tables of the catalog: packages, their versions, and the moderation trail."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from argent_marketplace.db.metadata import metadata

__all__ = ["catalog_counts", "moderation_events", "packages", "versions"]

packages = Table(
    "packages",
    metadata,
    Column("id", String(36), primary_key=True),
    # The first publisher of a name owns it (unique); names are already canonical.
    Column("name", String(64), nullable=False, unique=True),
    Column("owner_id", String(36), ForeignKey("authors.id"), nullable=False, index=True),
    # Denormalised from the latest published version, so search reads one row.
    Column("display_name", String(100), nullable=False, default=""),
    Column("description", Text, nullable=False, default=""),
    Column("category", String(32), nullable=False, default="connectors"),
    Column("tags", Text, nullable=False, default="[]"),  # JSON list
    Column("pricing", String(16), nullable=False, default="free"),
    Column("price_cents", Integer, nullable=False, default=0),
    Column("listed", Boolean, nullable=False, default=True),
    Column("latest_version_id", String(36), nullable=True),
    Column("latest_version", String(64), nullable=True),
    Column("total_downloads", BigInteger, nullable=False, default=0),
    Column("rating", Float, nullable=False, default=0.0),
    Column("rating_count", Integer, nullable=False, default=0),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    # The name as the typosquatting rule compares it (scan.names.base_name and
    # skeleton_name), indexed so a publish looks up look-alikes instead of reading all.
    Column("name_base", String(64), nullable=False, server_default=""),
    Column("name_skeleton", String(64), nullable=False, server_default=""),
    # SQLite only: the rowid of the package's row in the FTS5 index (``package_search``),
    # which encodes its popularity bucket (catalog/search.py). NULL on PostgreSQL. The
    # covering index ``ix_packages_search_rowid`` over it exists on SQLite only (0006).
    Column("search_rowid", BigInteger, nullable=True),
)
Index("ix_packages_name_base", packages.c.name_base)
Index("ix_packages_name_skeleton", packages.c.name_skeleton)
Index("ix_packages_visible_downloads", packages.c.listed, packages.c.total_downloads)
Index("ix_packages_visible_updated", packages.c.listed, packages.c.updated_at)
Index("ix_packages_category", packages.c.category)
Index("ix_packages_downloads_name", packages.c.total_downloads.desc(), packages.c.name)
Index(
    "ix_packages_category_downloads_name",
    packages.c.category,
    packages.c.total_downloads.desc(),
    packages.c.name,
)

# How many packages the public catalog shows per (category, pricing): browse, category
# and pricing pages answer their exact ``total`` (and facets) from here instead of
# counting. Maintained by catalog.services (refresh_package, set_listed) in the same
# transaction as the change; ``recount_catalog`` rebuilds it.
catalog_counts = Table(
    "catalog_counts",
    metadata,
    Column("category", String(32), primary_key=True),
    Column("pricing", String(16), primary_key=True),
    Column("packages", Integer, nullable=False, default=0),
)

versions = Table(
    "versions",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("package_id", String(36), ForeignKey("packages.id"), nullable=False),
    Column("version", String(64), nullable=False),
    # published | pending_review | flagged | rejected | removed
    Column("status", String(16), nullable=False),
    Column("yanked", Boolean, nullable=False, default=False),
    Column("sha256", String(64), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("blob_key", String(200), nullable=True),  # NULL once removed (tombstone)
    Column("manifest", Text, nullable=False),  # JSON, as signed
    Column("changelog", Text, nullable=True),
    Column("permissions", Text, nullable=False, default="[]"),  # JSON list
    Column("tools", Text, nullable=False, default="[]"),  # JSON list of command ids
    Column("argentos_range", String(200), nullable=False),
    Column("findings", Text, nullable=False, default="[]"),  # JSON list
    Column("key_fingerprint", String(64), nullable=False),
    Column("author_id", String(36), ForeignKey("authors.id"), nullable=False),
    Column("downloads", BigInteger, nullable=False, default=0),
    Column("review_reason", Text, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("published_at", DateTime(timezone=True), nullable=True),
    # Versions are immutable: one row per (package, version), forever (tombstones too).
    UniqueConstraint("package_id", "version"),
)
Index("ix_versions_status", versions.c.status)
Index("ix_versions_package_status", versions.c.package_id, versions.c.status)
Index("ix_versions_sha256", versions.c.sha256)

moderation_events = Table(
    "moderation_events",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("version_id", String(36), ForeignKey("versions.id"), nullable=False, index=True),
    Column("action", String(16), nullable=False),  # approve | reject | yank | unyank | remove
    Column("reason", Text, nullable=False),
    Column("actor", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)
