"""Moderation and author verification, for admin tokens only."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from argent_marketplace.accounts.services import set_verified
from argent_marketplace.catalog.services import find_package, set_listed
from argent_marketplace.db.engine import transaction
from argent_marketplace.licensing import services as lic
from argent_marketplace.moderation import services as moderation
from argent_marketplace.server.deps import AdminDep, ServicesDep

router = APIRouter(prefix="/api/v1/admin", tags=["admin"])


class Decision(BaseModel):
    """A moderator's reason, shown to the author."""

    reason: str = Field(min_length=1, max_length=2000)


class Verification(BaseModel):
    """Whether an author is verified."""

    verified: bool = True


@router.get("/reviews")
def reviews(
    _admin: AdminDep,
    services: ServicesDep,
    status: Annotated[list[str] | None, Query()] = None,
) -> dict[str, Any]:
    """Versions waiting for review (pending_review and flagged by default)."""
    wanted = tuple(status) if status else ("pending_review", "flagged")
    with services.engine.connect() as conn:
        return {"items": moderation.list_reviews(conn, wanted)}


@router.get("/versions/{version_id}")
def show(version_id: str, _admin: AdminDep, services: ServicesDep) -> dict[str, Any]:
    """A version with findings, manifest and moderation history."""
    with services.engine.connect() as conn:
        return moderation.show_version(conn, version_id)


@router.post("/versions/{version_id}/{action}")
def act(
    version_id: str, action: str, body: Decision, admin: AdminDep, services: ServicesDep
) -> dict[str, Any]:
    """approve, reject, yank, unyank or remove a version, with a reason."""
    return moderation.apply_action(
        services.engine,
        services.storage,
        version_id,
        action,
        reason=body.reason,
        actor=f"token:{admin.token_id}",
        now=services.clock(),
    )


@router.post("/authors/{author_id}/verify")
def verify_author(
    author_id: str, body: Verification, _admin: AdminDep, services: ServicesDep
) -> dict[str, Any]:
    """Set ``author_verified``."""
    with transaction(services.engine) as conn:
        set_verified(conn, author_id, body.verified)
    return {"id": author_id, "verified": body.verified}


class NewLicense(BaseModel):
    """A license to issue: for a package, or for an organisation and its packages."""

    package: str | None = Field(default=None, max_length=64)
    type: str | None = Field(default=None, description="default: the package's pricing")
    org_name: str | None = Field(default=None, max_length=200)
    packages: list[str] = Field(default_factory=list, max_length=1000)


class LicenseAction(BaseModel):
    """A license key (in the body, never in a URL that access logs keep)."""

    key: str = Field(max_length=64)
    reason: str | None = None
    days: int | None = Field(default=None, ge=1, le=3650)


@router.post("/licenses", status_code=201)
def issue(body: NewLicense, _admin: AdminDep, services: ServicesDep) -> dict[str, Any]:
    """Issue a license; the key in the answer is shown only this once."""
    with transaction(services.engine) as conn:
        key, state = lic.issue_license(
            conn,
            services.license_keys,
            package=body.package,
            license_type=body.type,
            now=services.clock(),
            org_name=body.org_name,
            extra_packages=tuple(body.packages),
        )
    return {"key": key, **state}


@router.post("/licenses/show")
def show_license(body: LicenseAction, _admin: AdminDep, services: ServicesDep) -> dict[str, Any]:
    """A license's state, revoked ones included."""
    with services.engine.connect() as conn:
        return lic.license_state(
            conn, body.key, services.license_keys, services.clock(), reveal=True
        )


@router.post("/licenses/revoke")
def revoke_license(body: LicenseAction, _admin: AdminDep, services: ServicesDep) -> dict[str, Any]:
    """Revoke (reason: refunded, fraud, support, customer-request); effective at once."""
    with transaction(services.engine) as conn:
        lic.revoke(
            conn, services.license_keys, body.key, body.reason or "support", services.clock()
        )
        return lic.license_state(
            conn, body.key, services.license_keys, services.clock(), reveal=True
        )


@router.post("/licenses/extend")
def extend_license(body: LicenseAction, _admin: AdminDep, services: ServicesDep) -> dict[str, Any]:
    """Push the expiry ``days`` further."""
    with transaction(services.engine) as conn:
        lic.extend(conn, services.license_keys, body.key, body.days or 365, services.clock())
        return lic.license_state(
            conn, body.key, services.license_keys, services.clock(), reveal=True
        )


class Listing(BaseModel):
    """Whether a package shows in the public catalog (false: org-private)."""

    listed: bool


@router.post("/packages/{name}/listing")
def set_listing(
    name: str, body: Listing, _admin: AdminDep, services: ServicesDep
) -> dict[str, Any]:
    """Make a package org-private (only licensed catalogs show it) or public again."""
    with transaction(services.engine) as conn:
        package = find_package(conn, name)
        set_listed(conn, package["id"], body.listed)
    return {"name": package["name"], "listed": body.listed}
