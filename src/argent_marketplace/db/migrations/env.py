"""Alembic environment: runs against the engine the caller passes in.

On PostgreSQL an advisory lock serialises concurrent upgrades, so several
server processes can start at once against one database.
"""

from __future__ import annotations

import logging

from alembic import context
from sqlalchemy import Connection, text

# Import every domain's tables so autogenerate sees them.
from argent_marketplace.accounts import models as _accounts  # noqa: F401
from argent_marketplace.catalog import models as _catalog  # noqa: F401
from argent_marketplace.db import models as _db  # noqa: F401
from argent_marketplace.db.metadata import metadata
from argent_marketplace.licensing import models as _licensing  # noqa: F401
from argent_marketplace.publish import models as _publish  # noqa: F401

_LOCK_ID = 0x4152474E  # "ARGN"
log = logging.getLogger("argent_marketplace.db")


def _ours(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """Autogenerate ignores what migrations create by hand for SQLite's search.

    That is the FTS5 table with its shadow tables, and the covering index of 0006.
    """
    if type_ == "index" and name == "ix_packages_search_rowid":
        return False
    return not (type_ == "table" and (name or "").startswith("package_search"))


def run() -> None:
    engine = context.config.attributes["engine"]
    with engine.connect() as connection:
        postgres = connection.dialect.name == "postgresql"
        before: dict[str, str] = {}
        if postgres:
            # Waiting for another process's migrations, and building indexes on a large
            # catalog, may take longer than a request's statement timeout. A DDL statement
            # queued behind a long transaction would make every request queue behind it:
            # give up instead (the start fails; run it again). The connection goes back to
            # the pool afterwards, with its own settings.
            for name in _TIMEOUTS:
                before[name] = connection.execute(text(f"SHOW {name}")).scalar_one()
            connection.execute(text("SET statement_timeout = 0"))
            connection.execute(text("SELECT pg_advisory_lock(:id)"), {"id": _LOCK_ID})
            connection.execute(text("SET lock_timeout = '30s'"))
            connection.commit()
        try:
            context.configure(connection=connection, target_metadata=metadata, include_object=_ours)
            with context.begin_transaction():
                context.run_migrations()
            connection.commit()
        finally:
            if postgres:
                _restore(connection, before)


_TIMEOUTS = ("statement_timeout", "lock_timeout")


def _restore(connection: Connection, before: dict[str, str]) -> None:
    """Unlock and put the session's timeouts back; a failure here must not hide the
    migration's own error, so it is logged, and the connection is dropped from the pool."""
    try:
        connection.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": _LOCK_ID})
        for name, value in before.items():
            connection.execute(
                text("SELECT set_config(:name, :value, false)"), {"name": name, "value": value}
            )
        connection.commit()
    except Exception:  # the connection is broken; the session ends with it
        log.exception("could not reset the migration connection; discarding it")
        connection.invalidate()


run()
