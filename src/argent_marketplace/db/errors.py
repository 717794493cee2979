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
    return DatabaseError(
        f"cannot use the database at {shown}: {why}",
        code="database-unreachable",
        hint="check --database-url / ARGENT_MARKETPLACE_DATABASE_URL: is the server "
        "running there, and does the database exist (createdb NAME)?",
    )
