"""Moderation and author verification, for admin tokens only."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from argent_marketplace.accounts.services import set_verified
from argent_marketplace.db.engine import transaction
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
