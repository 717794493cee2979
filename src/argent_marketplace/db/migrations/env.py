"""Alembic environment: runs against the engine the caller passes in.

On PostgreSQL an advisory lock serialises concurrent upgrades, so several
server processes can start at once against one database.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import text

# Import every domain's tables so autogenerate sees them.
from argent_marketplace.accounts import models as _accounts  # noqa: F401
from argent_marketplace.catalog import models as _catalog  # noqa: F401
from argent_marketplace.db import models as _db  # noqa: F401
from argent_marketplace.db.metadata import metadata
from argent_marketplace.licensing import models as _licensing  # noqa: F401
from argent_marketplace.publish import models as _publish  # noqa: F401

_LOCK_ID = 0x4152474E  # "ARGN"


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
        if connection.dialect.name == "postgresql":
            # Waiting for another process's migrations, and building indexes on a large
            # catalog, may take longer than a request's statement timeout.
            before = connection.execute(text("SHOW statement_timeout")).scalar_one()
            connection.execute(text("SET statement_timeout = 0"))
            connection.execute(text("SELECT pg_advisory_lock(:id)"), {"id": _LOCK_ID})
            # A DDL statement queued behind a long transaction would make every request
            # queue behind it: give up instead (the start fails; run it again).
            connection.execute(text("SET lock_timeout = '30s'"))
            connection.commit()
        try:
            context.configure(connection=connection, target_metadata=metadata, include_object=_ours)
            with context.begin_transaction():
                context.run_migrations()
            connection.commit()
        finally:
            if connection.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": _LOCK_ID})
                connection.execute(text("SET lock_timeout = 0"))
                connection.execute(
                    text("SELECT set_config('statement_timeout', :value, false)"),
                    {"value": before},
                )
                connection.commit()


run()
