"""Engines for the embedded default (SQLite, WAL) and for PostgreSQL, from one URL.

``postgresql://`` URLs are given the psycopg 3 driver; SQLite connections get
WAL, foreign keys and a busy timeout, so a reader never blocks the writer and a
second writer waits instead of failing at once.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

from argent_marketplace.db.errors import DatabaseError

__all__ = ["make_engine", "sqlite_url"]


def sqlite_url(data_dir: Path) -> str:
    """The embedded database inside a data folder."""
    return f"sqlite:///{data_dir / 'marketplace.sqlite3'}"


def _sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for ``url`` (``sqlite:///...`` or ``postgresql://...``).

    Raises:
        DatabaseError: ``unsupported-database`` for any other scheme, or a missing driver.
    """
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        engine = create_engine(parsed, connect_args={"timeout": 10})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if backend == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        try:
            return create_engine(parsed, pool_pre_ping=True, pool_size=10, max_overflow=10)
        except ImportError as exc:
            raise DatabaseError(
                "the PostgreSQL driver is not installed",
                code="missing-driver",
                hint="pip install 'argent-marketplace[postgres]'",
            ) from exc
    raise DatabaseError(
        f"unsupported database URL scheme '{parsed.drivername}'",
        code="unsupported-database",
        hint="use sqlite:///PATH or postgresql://USER@HOST/DB",
    )
