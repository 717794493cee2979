"""Errors of the catalog."""

from __future__ import annotations

from argent_marketplace.errors import Error, ExitCode

__all__ = ["CatalogError", "PackageNotFound"]


class CatalogError(Error):
    """Base of catalog errors."""

    code = "catalog-error"
    exit_code = ExitCode.INVALID_INPUT


class PackageNotFound(CatalogError):
    """No visible package or version by that id or name."""

    code = "not-found"
    http_status = 404
