"""Infrastructure tables that belong to no domain: server secrets."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, LargeBinary, String, Table

from argent_marketplace.db.metadata import metadata

__all__ = ["server_secrets"]

# Keys the server derives HMACs from (token digests, signed download URLs) when no
# secret is configured in the environment or the data folder; shared by all processes.
server_secrets = Table(
    "server_secrets",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("value", LargeBinary, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)
