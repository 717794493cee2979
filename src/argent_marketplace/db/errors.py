"""Errors of the database layer (configuration, reachability)."""

from __future__ import annotations

from argent_marketplace.errors import Error, ExitCode

__all__ = ["DatabaseError"]


class DatabaseError(Error):
    """The database cannot be reached or is misconfigured."""

    code = "database-error"
    exit_code = ExitCode.LOCAL_IO
    http_status = 503
