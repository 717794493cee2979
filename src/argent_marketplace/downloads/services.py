"""Which stored version a download request means, and whether it may be served."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from argent_marketplace.catalog.errors import PackageNotFound
from argent_marketplace.catalog.models import versions
from argent_marketplace.catalog.services import find_package, unknown_package
from argent_marketplace.downloads.errors import LicenseRequired
from argent_marketplace.licensing.errors import LicenseRejected
from argent_marketplace.licensing.services import (
    LicenseKeys,
    licensed_package_ids,
    require_download_license,
)

__all__ = ["resolve_download"]


def resolve_download(
    conn: Connection,
    ref: str,
    version: str | None,
    *,
    license_key: str | None = None,
    license_keys: LicenseKeys | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """The version row to serve for ``ref`` (id or name) and optional exact ``version``.

    Without ``version`` the package's ``latest`` is served; an exact version may be
    a yanked one (installs pinned to it keep working), never an unpublished or
    removed one. An unlisted (org-private) package exists only for a request whose
    active license covers it.

    Raises:
        PackageNotFound: Unknown package or version, nothing downloadable, or an
            org-private package the license key does not cover.
        LicenseRequired: The package is paid and no activated license covers it.
    """
    package = find_package(conn, ref)
    if not package["listed"] and (
        license_keys is None
        or now is None
        or package["id"] not in licensed_package_ids(conn, license_keys, license_key, now)
    ):
        # Org-private: only for a license that covers it, whatever the version asked.
        raise unknown_package(ref)
    if version is None:
        if package["latest_version_id"] is None:
            raise unknown_package(ref)
        where = versions.c.id == package["latest_version_id"]
    else:
        where = (versions.c.package_id == package["id"]) & (versions.c.version == version)
    row = conn.execute(select(versions).where(where)).mappings().first()
    if row is None or row["status"] != "published" or row["blob_key"] is None:
        if package["latest_version_id"] is None:
            raise unknown_package(ref)  # nothing of it is public: do not confirm the name
        raise PackageNotFound(
            f"no downloadable version {version or 'latest'} of '{package['name']}'",
            hint="see the versions with 'argent marketplace details'",
        )
    if package["pricing"] != "free":
        _require_license(conn, package, license_key, license_keys, now)
    return {**dict(row), "name": package["name"]}


def _require_license(
    conn: Connection,
    package: dict[str, Any],
    key: str | None,
    keys: LicenseKeys | None,
    now: datetime | None,
) -> None:
    """402 unless an active, activated license covering the package comes with the request."""
    try:
        if keys is None or now is None:
            raise LicenseRejected("licensing is not configured", code="license-required")
        require_download_license(conn, keys, key, package["id"], now)
    except LicenseRejected as exc:
        raise LicenseRequired(
            f"{package['name']} is a {package['pricing']} package: {exc.message}",
            hint="get a license for it, then run 'argent marketplace activate KEY'",
            details={
                "pricing": package["pricing"],
                "price_cents": package["price_cents"],
                "reason": exc.code,
            },
        ) from exc
