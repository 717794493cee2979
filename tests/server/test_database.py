"""The database layer on real data: migrations (0005 fills the typosquatting keys of
packages that already exist) and how PostgreSQL connections are set up."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import OperationalError

from argent_marketplace.db.engine import make_engine
from argent_marketplace.db.migrate import downgrade, upgrade
from tests.support.services import postgres_database


@pytest.fixture(params=["sqlite", "postgres"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        made = make_engine(f"sqlite:///{tmp_path / 'market.db'}")
        yield made
        made.dispose()
        return
    with postgres_database() as url:
        made = make_engine(url)
        yield made
        made.dispose()


def _add_author(conn: Connection) -> None:
    """Author ``a1``, written as a release of that schema would."""
    conn.execute(
        text(
            "INSERT INTO authors (id, name, normalized_name, email, verified, created_at) "
            "VALUES ('a1', 'Ann', 'ann', 'ann@example.com', false, CURRENT_TIMESTAMP)"
        )
    )


def test_0005_fills_name_keys_of_existing_packages(engine: Engine) -> None:
    upgrade(engine, "0004")
    with engine.begin() as conn:
        _add_author(conn)
        for n, name in enumerate(["aos-air-table", "aos-rn-mail"]):
            conn.execute(
                text(
                    "INSERT INTO packages (id, name, owner_id, display_name, description, "
                    "category, tags, pricing, price_cents, listed, total_downloads, rating, "
                    "rating_count, created_at, updated_at) VALUES (:id, :name, 'a1', '', '', "
                    "'connectors', '[]', 'free', 0, true, 0, 0, 0, CURRENT_TIMESTAMP, "
                    "CURRENT_TIMESTAMP)"
                ),
                {"id": f"p{n}", "name": name},
            )
    upgrade(engine)
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT name, name_base, name_skeleton FROM packages ORDER BY name")
        ).all()
    assert [tuple(r) for r in rows] == [
        ("aos-air-table", "airtable", "alrtable"),
        ("aos-rn-mail", "rnmail", "mmall"),
    ]
    # and back, with the rows (and the versions that point at them) still there
    downgrade(engine, "0004")
    with engine.connect() as conn:
        names = conn.execute(text("SELECT name FROM packages ORDER BY name")).scalars().all()
    assert names == ["aos-air-table", "aos-rn-mail"]


def test_0009_recomputes_python_skeletons(engine: Engine) -> None:
    """Packages published before 0009 are found by the new skeleton (py reads as python)."""
    upgrade(engine, "0008")
    with engine.begin() as conn:
        _add_author(conn)
        for n, (name, skeleton) in enumerate(
            [("aos-python-foo", "pythonfoo"), ("aos-air-table", "alrtable"),
             ("aos-pyt-hon-x", "pythonx")]
        ):  # fmt: skip
            conn.execute(
                text(
                    "INSERT INTO packages (id, name, owner_id, display_name, description, "
                    "category, tags, pricing, price_cents, listed, total_downloads, rating, "
                    "rating_count, created_at, updated_at, name_base, name_skeleton) VALUES "
                    "(:id, :name, 'a1', '', '', 'connectors', '[]', 'free', 0, true, 0, 0, 0, "
                    "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, :base, :skeleton)"
                ),
                {"id": f"p{n}", "name": name, "base": name[4:].replace("-", "")}
                | {"skeleton": skeleton},
            )
    upgrade(engine)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT name, name_skeleton FROM packages ORDER BY name")).all()
    assert [tuple(r) for r in rows] == [
        ("aos-air-table", "alrtable"),
        ("aos-pyt-hon-x", "pyx"),
        ("aos-python-foo", "pyfoo"),
    ]


def test_postgres_sessions_plan_every_execution(pg_url: str) -> None:
    """A prepared statement's generic plan ignores the search words (docs/server.md)."""
    made = make_engine(pg_url)
    try:
        for _ in range(2):  # a fresh connection each time, and one back from the pool
            with made.connect() as conn:
                mode = conn.execute(text("SHOW plan_cache_mode")).scalar()
                assert mode == "force_custom_plan"
                conn.execute(text("SELECT 1"))
                conn.rollback()
    finally:
        made.dispose()


def test_postgres_statements_time_out_except_in_migrations(pg_url: str) -> None:
    """A stuck lock or a runaway query cannot hold a server thread for ever (H3)."""
    made = make_engine(pg_url)
    try:
        upgrade(made)  # lifts the timeout on its connection, then puts it back
        for _ in range(3):
            with made.connect() as conn:
                assert conn.execute(text("SHOW statement_timeout")).scalar() == "30s"
                assert conn.execute(text("SHOW lock_timeout")).scalar() == "0"
                conn.execute(text("SET LOCAL statement_timeout = '50ms'"))
                with pytest.raises(OperationalError, match="statement timeout"):
                    conn.execute(text("SELECT pg_sleep(1)"))
    finally:
        made.dispose()


def test_an_operators_timeouts_win(pg_url: str) -> None:
    """Set in the URL, they survive the connect hook and the migrations."""
    made = make_engine(f"{pg_url}?options=-c%20statement_timeout%3D7s%20-c%20lock_timeout%3D3s")
    try:
        upgrade(made)
        for _ in range(2):
            with made.connect() as conn:
                assert conn.execute(text("SHOW statement_timeout")).scalar() == "7s"
                assert conn.execute(text("SHOW lock_timeout")).scalar() == "3s"
    finally:
        made.dispose()


def test_a_timeout_set_on_the_database_wins() -> None:
    with postgres_database() as url:
        name = url.rsplit("/", 1)[1]
        admin = make_engine(url)
        with admin.connect() as conn:
            conn.execute(text(f"ALTER DATABASE \"{name}\" SET statement_timeout = '9s'"))
            conn.commit()
        admin.dispose()
        made = make_engine(url)
        try:
            with made.connect() as conn:
                assert conn.execute(text("SHOW statement_timeout")).scalar() == "9s"
        finally:
            made.dispose()


def test_sqlite_search_index_has_prefix_indexes_up_to_nine(tmp_path: Path) -> None:
    """Long query words are answered from a prefix index (0007), before and after data."""
    made = make_engine(f"sqlite:///{tmp_path / 'market.db'}")
    try:
        upgrade(made, "0006")
        with made.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO package_search (rowid, name, display_name, description, "
                    "tags, package_id) VALUES (7, 'aos-connectorx', 'Connector X', "
                    "'records and more', '[]', 'p1')"
                )
            )
        upgrade(made)
        with made.connect() as conn:
            sql = conn.execute(
                text("SELECT sql FROM sqlite_master WHERE name = 'package_search'")
            ).scalar()
            hit = conn.execute(
                text("SELECT rowid FROM package_search WHERE package_search MATCH :q"),
                {"q": '"connecto"*'},
            ).all()
        assert "prefix = '2 3 4 5 6 7 8 9'" in sql
        assert [tuple(r) for r in hit] == [(7,)]  # the row and its rowid survive
    finally:
        made.dispose()


def test_postgres_urls_may_say_postgres(pg_url: str) -> None:
    """``postgres://`` (Heroku's and many tools' spelling) means the same database."""
    assert pg_url.startswith("postgresql")
    made = make_engine("postgres" + pg_url[len("postgresql") :].replace("+psycopg", "", 1))
    try:
        assert made.dialect.name == "postgresql" and made.dialect.driver == "psycopg"
        with made.connect() as conn:
            assert conn.execute(text("SELECT 1")).scalar() == 1
    finally:
        made.dispose()
