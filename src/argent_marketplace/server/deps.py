"""Request dependencies: the services, and who is calling."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from argent_marketplace.accounts.errors import Forbidden
from argent_marketplace.accounts.services import Principal, authenticate, touch_token
from argent_marketplace.db.engine import transaction
from argent_marketplace.server.services import Services

__all__ = ["AccountDep", "AdminDep", "AuthorDep", "ServicesDep", "bearer_token"]


def get_services(request: Request) -> Services:
    """The process's services (built by ``create_app``)."""
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


def bearer_token(request: Request) -> str | None:
    """The token of ``Authorization: Bearer <token>``, if any."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def get_principal(request: Request, services: ServicesDep) -> Principal:
    """Authenticate the bearer token (401 without a valid one)."""
    # Authentication only reads; the last-used time is written at most every few minutes,
    # so authenticated reads never take the database's write lock.
    with services.engine.connect() as conn:
        principal = authenticate(
            conn, bearer_token(request), secret=services.keys.tokens, now=services.clock()
        )
    if principal.needs_touch:
        with transaction(services.engine) as conn:
            touch_token(conn, principal.token_id, services.clock())
    return principal


def get_author(principal: Annotated[Principal, Depends(get_principal)]) -> Principal:
    """An author's token with the publish scope (403 otherwise)."""
    principal.require("publish")
    if principal.author_id is None:
        raise Forbidden(
            "this token belongs to no author",
            code="not-an-author",
            hint="use the token you got when you registered",
        )
    return principal


def get_admin(principal: Annotated[Principal, Depends(get_principal)]) -> Principal:
    """A token with the admin scope (403 otherwise)."""
    principal.require("admin")
    return principal


def get_account_owner(principal: Annotated[Principal, Depends(get_author)]) -> Principal:
    """An author's unrestricted token: package-limited tokens cannot manage keys or tokens."""
    if principal.package is not None:
        raise Forbidden(
            "this token is limited to one package and cannot manage the account",
            code="token-scope",
            hint="use your unrestricted token",
        )
    return principal


AuthorDep = Annotated[Principal, Depends(get_author)]
AccountDep = Annotated[Principal, Depends(get_account_owner)]
AdminDep = Annotated[Principal, Depends(get_admin)]
