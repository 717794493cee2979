"""Tables of the accounts domain."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    String,
    Table,
)

from argent_marketplace.db.metadata import metadata

__all__ = ["author_keys", "authors", "tokens"]

authors = Table(
    "authors",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(200), nullable=False),
    # Lowercased, separators folded: two authors cannot differ only by case or punctuation.
    Column("normalized_name", String(200), nullable=False, unique=True),
    Column("email", String(320), nullable=False),
    Column("verified", Boolean, nullable=False, default=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

author_keys = Table(
    "author_keys",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("author_id", String(36), ForeignKey("authors.id"), nullable=False, index=True),
    # base64 of the 32 raw bytes, as in argent.plugin.json: one key, one author.
    Column("public_key", String(44), nullable=False, unique=True),
    Column("fingerprint", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
)

tokens = Table(
    "tokens",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("author_id", String(36), ForeignKey("authors.id"), nullable=True, index=True),
    # HMAC-SHA256 of the token under the server secret: the token itself is never stored.
    Column("digest", String(64), nullable=False, unique=True),
    Column("prefix", String(16), nullable=False),
    Column("scopes", String(100), nullable=False),
    Column("label", String(100), nullable=False, default=""),
    # When set, the token may publish only this package (a CI token for one connector).
    Column("package_name", String(64), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=True),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
    Column("last_used_at", DateTime(timezone=True), nullable=True),
)

Index("ix_author_keys_author_active", author_keys.c.author_id, author_keys.c.revoked_at)
