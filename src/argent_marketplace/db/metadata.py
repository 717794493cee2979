"""The one ``MetaData`` every domain's tables join, with stable constraint names.

Alembic compares constraint names across SQLite and PostgreSQL; the naming
convention keeps them identical on both, so one migration serves both.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import MetaData

__all__ = ["metadata", "new_id", "utcnow"]

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def new_id() -> str:
    """A random UUID as text: the same column type on every backend."""
    return str(uuid.uuid4())


def utcnow() -> datetime:
    """The server's clock, timezone-aware UTC (injected in tests through services)."""
    return datetime.now(UTC)
