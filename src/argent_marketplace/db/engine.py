"""Engines for the embedded default (SQLite, WAL) and for PostgreSQL, from one URL.

``postgresql://`` URLs are given the psycopg 3 driver; SQLite connections get
WAL, foreign keys and a busy timeout, so a reader never blocks the writer and a
second writer waits instead of failing at once.
"""

from __future__ import annotations

import sqlite3
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url

from argent_marketplace.db.errors import DatabaseError

__all__ = ["make_engine", "sqlite_url", "transaction"]


def sqlite_url(data_dir: Path) -> str:
    """The embedded database inside a data folder."""
    return f"sqlite:///{data_dir / 'marketplace.sqlite3'}"


# Every statement of a request has a bound: a lock held by a stuck session or a runaway
# query cannot keep a server thread forever (SECURITY-CASES H3). Migrations lift it.
PG_STATEMENT_TIMEOUT = "30s"
PG_CONNECT_TIMEOUT = 5  # seconds


def _postgres_session(dbapi_connection: Any, _record: object) -> None:  # noqa: ANN401 - psycopg
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SET plan_cache_mode = force_custom_plan")
        # An operator's own statement timeout wins: set in the URL (options), PGOPTIONS,
        # or ALTER ROLE / DATABASE ... SET. Ours applies where the built-in default would.
        cursor.execute("SELECT source FROM pg_settings WHERE name = 'statement_timeout'")
        row = cursor.fetchone()
        if row is not None and row[0] == "default":
            cursor.execute(f"SET statement_timeout = '{PG_STATEMENT_TIMEOUT}'")
    dbapi_connection.commit()


def _sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    # pysqlite's own transaction handling breaks SAVEPOINT; we issue BEGIN ourselves.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    # A transaction that will write takes the write lock up front (IMMEDIATE): two
    # writers then queue on busy_timeout instead of one failing with SQLITE_BUSY when
    # it upgrades from reading. Reads stay DEFERRED and never block in WAL mode.
    write = conn.get_execution_options().get("write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def transaction(engine: Engine) -> AbstractContextManager[Connection]:
    """A read-write transaction: commits on success, rolls back on any exception."""
    return engine.execution_options(write=True).begin()


def make_engine(url: str) -> Engine:
    """An engine for ``url`` (``sqlite:///...`` or ``postgresql://...``).

    Raises:
        DatabaseError: ``unsupported-database`` for any other scheme, or a missing driver.
    """
    parsed = make_url(url)
    if parsed.drivername == "postgres":  # the spelling of Heroku, libpq docs and many tools
        parsed = parsed.set(drivername="postgresql")
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        engine = create_engine(parsed, connect_args={"timeout": 10})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if backend == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        # psycopg prepares a statement on its fifth run; PostgreSQL may then switch it to
        # a generic plan that ignores the parameters. For a search, whose best plan depends
        # on how common the words are, that plan cost 50 ms instead of 2 (a bitmap scan of
        # every match instead of a walk down the downloads index). Each session plans
        # every execution with its values; set after connecting rather than as a startup
        # option, which connection poolers such as PgBouncer refuse.
        try:
            engine = create_engine(
                parsed,
                pool_pre_ping=True,
                pool_size=10,
                max_overflow=10,
                pool_timeout=30,
                connect_args={"connect_timeout": PG_CONNECT_TIMEOUT},
            )
            event.listen(engine, "connect", _postgres_session)
            return engine
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
