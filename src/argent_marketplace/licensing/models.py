"""Tables of licensing."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
)

from argent_marketplace.db.metadata import metadata

__all__ = ["activations", "license_packages", "licenses", "rate_limits"]

licenses = Table(
    "licenses",
    metadata,
    Column("id", String(36), primary_key=True),
    # HMAC-SHA256 of the normalised key under the server secret: keys are never stored.
    Column("digest", String(64), nullable=False, unique=True),
    Column("type", String(16), nullable=False),  # trial | pro | enterprise | per-skill
    Column("package_id", String(36), ForeignKey("packages.id"), nullable=True, index=True),
    Column("org_name", String(200), nullable=True),
    Column("status", String(16), nullable=False),  # active | revoked (expiry is computed)
    Column("revoke_reason", String(32), nullable=True),
    Column("max_activations", Integer, nullable=True),  # NULL = unlimited
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=True),  # NULL = perpetual
    Column("revoked_at", DateTime(timezone=True), nullable=True),
)

# Organisation licenses (enterprise) may cover several packages, org-private ones included.
license_packages = Table(
    "license_packages",
    metadata,
    Column("license_id", String(36), ForeignKey("licenses.id"), primary_key=True),
    Column("package_id", String(36), ForeignKey("packages.id"), primary_key=True),
)

activations = Table(
    "activations",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("license_id", String(36), ForeignKey("licenses.id"), nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("instance_id", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_seen_at", DateTime(timezone=True), nullable=False),
    # One slot per machine: the same fingerprint re-activates instead of taking another.
    UniqueConstraint("license_id", "fingerprint"),
)
Index("ix_activations_license", activations.c.license_id)

# Fixed-window counters shared by every server process (rate limits live in the database).
rate_limits = Table(
    "rate_limits",
    metadata,
    Column("bucket", String(128), primary_key=True),
    Column("window_start", BigInteger, nullable=False),
    Column("count", Integer, nullable=False),
)
