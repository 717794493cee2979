"""Authors, keys and tokens."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from argent_marketplace.accounts import services as accounts
from argent_marketplace.accounts.errors import Forbidden
from argent_marketplace.catalog.services import author_packages, iso_time
from argent_marketplace.db.engine import transaction
from argent_marketplace.licensing.ratelimit import hit
from argent_marketplace.server.deps import AccountDep, AuthorDep, ServicesDep, client_address

router = APIRouter(prefix="/api/v1", tags=["accounts"])


class NewAuthor(BaseModel):
    """Registration: a name, a contact email and the first signing key."""

    name: str = Field(max_length=100)
    email: str = Field(max_length=320)
    public_key: str = Field(max_length=100, description="base64 of the 32-byte Ed25519 key")


class NewKey(BaseModel):
    """Another signing key."""

    public_key: str = Field(max_length=100)


class NewToken(BaseModel):
    """Another API token for the calling author."""

    label: str = Field(default="", max_length=100)
    scopes: list[str] = Field(default_factory=lambda: ["publish"])
    package: str | None = Field(default=None, max_length=64, description="limit to one package")
    expires_in_days: int | None = Field(default=None, ge=1, le=3650)


@router.post("/authors", status_code=201)
def register(body: NewAuthor, request: Request, services: ServicesDep) -> dict[str, Any]:
    """Register an author; the token in the answer is shown only this once.

    Each client address may register ``registrations_per_address`` authors an hour
    (429 past it, SECURITY-CASES G3); refused attempts count too.
    """
    limit = services.settings.registrations_per_address
    if limit > 0:
        with transaction(services.engine) as conn:
            hit(
                conn,
                f"register:{client_address(request)}",
                limit=limit,
                window_seconds=3600,
                now=services.clock(),
                code="too-many-registrations",
            )
    with transaction(services.engine) as conn:
        author_id, token = accounts.register_author(
            conn,
            name=body.name,
            email=body.email,
            public_key=body.public_key,
            secret=services.keys.tokens,
            now=services.clock(),
        )
    return {"id": author_id, "name": body.name.strip(), "token": token}


@router.get("/authors/me")
def me(principal: AuthorDep, services: ServicesDep) -> dict[str, Any]:
    """The calling author, with keys."""
    assert principal.author_id is not None
    with services.engine.connect() as conn:
        author = accounts.get_author(conn, principal.author_id) or {}
        keys = accounts.list_keys(conn, principal.author_id)
    return {
        "id": author.get("id"),
        "name": author.get("name"),
        "email": author.get("email"),
        "verified": bool(author.get("verified")),
        "keys": [
            {
                "id": k["id"],
                "public_key": k["public_key"],
                "fingerprint": k["fingerprint"],
                "revoked": k["revoked_at"] is not None,
            }
            for k in keys
        ],
    }


@router.get("/authors/me/packages")
def my_packages(principal: AuthorDep, services: ServicesDep) -> dict[str, Any]:
    """Every version the author uploaded, with status, findings and review reasons."""
    assert principal.author_id is not None
    with services.engine.connect() as conn:
        return {"items": author_packages(conn, principal.author_id)}


@router.post("/authors/me/keys", status_code=201)
def add_key(body: NewKey, principal: AccountDep, services: ServicesDep) -> dict[str, Any]:
    """Register another signing key."""
    assert principal.author_id is not None
    with transaction(services.engine) as conn:
        key = accounts.add_key(conn, principal.author_id, body.public_key, now=services.clock())
    return {"id": key["id"], "public_key": key["public_key"], "fingerprint": key["fingerprint"]}


@router.delete("/authors/me/keys/{ref:path}", status_code=204)
def revoke_key(ref: str, principal: AccountDep, services: ServicesDep) -> None:
    """Revoke a key (by id or fingerprint): later publishes signed with it are refused."""
    assert principal.author_id is not None
    with transaction(services.engine) as conn:
        accounts.revoke_key(conn, principal.author_id, ref, now=services.clock())


@router.get("/tokens")
def list_tokens(principal: AuthorDep, services: ServicesDep) -> dict[str, Any]:
    """The author's tokens (never their secret part)."""
    assert principal.author_id is not None
    with services.engine.connect() as conn:
        return {"items": accounts.list_tokens(conn, principal.author_id)}


@router.post("/tokens", status_code=201)
def create_token(body: NewToken, principal: AccountDep, services: ServicesDep) -> dict[str, Any]:
    """Issue another publish token (shown once)."""
    assert principal.author_id is not None
    if "admin" in body.scopes:
        raise Forbidden(
            "authors cannot create admin tokens",
            hint="ask an operator: argent-marketplace admin create-token",
        )
    now = services.clock()
    expires = now + timedelta(days=body.expires_in_days) if body.expires_in_days else None
    with transaction(services.engine) as conn:
        token = accounts.create_token(
            conn,
            principal.author_id,
            tuple(body.scopes),
            body.label,
            secret=services.keys.tokens,
            now=now,
            expires_at=expires,
            package=body.package,
        )
    return {
        "token": token,
        "scopes": body.scopes,
        "label": body.label,
        "package": body.package,
        "expires_at": iso_time(expires),
    }


@router.delete("/tokens/{token_id}", status_code=204)
def revoke_token(token_id: str, principal: AccountDep, services: ServicesDep) -> None:
    """Revoke one of the author's tokens."""
    with transaction(services.engine) as conn:
        accounts.revoke_token(conn, token_id, author_id=principal.author_id, now=services.clock())
