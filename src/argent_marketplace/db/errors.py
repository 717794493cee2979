"""Errors of the database layer (configuration, reachability)."""

from __future__ import annotations

from argent_marketplace.errors import Error, ExitCode

__all__ = ["DatabaseError", "unreachable"]


class DatabaseError(Error):
    """The database cannot be reached or is misconfigured."""

    code = "database-error"
    exit_code = ExitCode.LOCAL_IO
    http_status = 503


def unreachable(exc: Exception, url: str) -> DatabaseError:
    """A one-line error for a database that refused a connection at start-up.

    ``url`` is shown without its password; the driver's first line says why (no such
    database, connection refused, authentication failed).
    """
    from sqlalchemy.engine import make_url  # noqa: PLC0415 - only on this failure path

    try:
        shown = make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - an unparsable URL is shown by its scheme only
        shown = url.split(":", 1)[0] + "://..."
    cause = getattr(exc, "orig", None) or exc
    why = str(cause).strip().splitlines()[0] if str(cause).strip() else type(cause).__name__
    if "not a database" in why or "malformed" in why:
        return DatabaseError(
            f"the database at {shown} is damaged or not a database: {why}",
            code="database-damaged",
            hint="restore it from a backup, or move it away to start an empty one",
        )
    if not any(sign in why.lower() for sign in _CANNOT_CONNECT):
        # Reached, then failed (locked, disk full, I/O): not a matter of the URL.
        return DatabaseError(
            f"the database at {shown} failed: {why}",
            hint="another process may hold it (SQLite has one writer), or its disk may be "
            "full; try again, and see the database's own log",
        )
    return DatabaseError(
        f"cannot use the database at {shown}: {why}",
        code="database-unreachable",
        hint="check --database-url / ARGENT_MARKETPLACE_DATABASE_URL: is the server "
        "running there, and does the database exist (createdb NAME)?",
    )


# What the drivers say when the database itself cannot be reached or opened.
_CANNOT_CONNECT = (
    "connection failed", "connection refused", "could not connect", "does not exist",
    "authentication failed", "password", "timeout expired", "no such host", "name or service",
    "unable to open database file",
)  # fmt: skip
