"""Errors of the database layer (configuration, reachability)."""

from __future__ import annotations

from argent_marketplace.errors import Error, ExitCode

__all__ = ["DatabaseError", "unreachable"]


class DatabaseError(Error):
    """The database cannot be reached or is misconfigured."""

    code = "database-error"
    exit_code = ExitCode.LOCAL_IO
    http_status = 503


def unreachable(exc: Exception, url: str) -> DatabaseError | None:
    """A one-line error for a database that cannot be used at start-up, or ``None``.

    Decided by the driver's SQLSTATE where PostgreSQL gives one, else by the error's
    class and then its message (SQLite's errors, and psycopg's failures to connect,
    carry no SQLSTATE): what is not a reachability, permission, space or damage problem
    (a bug in a migration, say) returns ``None`` and keeps its traceback.
    ``url`` is shown without its password.
    """
    from sqlalchemy.engine import make_url  # noqa: PLC0415 - only on this failure path

    try:
        shown = make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - an unparsable URL is shown by its scheme only
        shown = url.split(":", 1)[0] + "://..."
    cause = getattr(exc, "orig", None) or exc
    why = str(cause).strip().splitlines()[0] if str(cause).strip() else type(cause).__name__
    state = getattr(cause, "sqlstate", None) or ""
    found = _postgres(state) if state else _by_class(cause, why)
    if found is None:
        return None
    code, hint = found
    return DatabaseError(f"cannot use the database at {shown}: {why}", code=code, hint=hint)


_CHECK_URL = (
    "check --database-url / ARGENT_MARKETPLACE_DATABASE_URL: is the server running there, "
    "and does the database exist (createdb NAME)?"
)


def _postgres(state: str) -> tuple[str, str] | None:
    """(code, hint) by SQLSTATE class; ``None`` for what is not an operator's problem."""
    if state.startswith("08") or state in ("3D000", "57P03"):
        return "database-unreachable", _CHECK_URL
    if state.startswith("28"):
        return "database-unreachable", "check the user and password in the database URL"
    if state == "42501":
        return "database-permission", (
            "the URL's role must own the database (or have CREATE on its schema): "
            "ALTER DATABASE ... OWNER TO ..."
        )
    if state.startswith("53"):
        return "database-resources", "the database server is out of disk, memory or connections"
    return None


def _by_class(cause: BaseException, why: str) -> tuple[str, str] | None:
    """(code, hint) for errors without a SQLSTATE: SQLite's, and failed connections."""
    import sqlite3  # noqa: PLC0415

    low = why.lower()
    if isinstance(cause, sqlite3.OperationalError):
        if "locked" in low or "busy" in low:
            return "database-locked", "another process is writing to it; try again"
        if "unable to open" in low:
            return "database-unreachable", "check that --data-dir exists and is writable"
        if "readonly" in low or "read-only" in low:
            return (
                "database-permission",
                "this user may not write the database file: check "
                "its owner and mode, or run as the user who owns the data folder",
            )
        if "disk" in low or "full" in low:
            return "database-resources", "the disk holding the data folder is full or failing"
        return None
    if isinstance(cause, sqlite3.DatabaseError) and ("not a database" in low or "malformed" in low):
        return "database-damaged", "restore it from a backup, or move it away to start an empty one"
    if type(cause).__name__ == "OperationalError" and any(
        sign in low for sign in ("connection", "resolve host", "name or service")
    ):
        # psycopg's failures to connect carry no SQLSTATE: refused, no such host or
        # database, bad password, timeout.
        return "database-unreachable", _CHECK_URL
    return None
