"""Request dependencies: the services, and who is calling."""

from __future__ import annotations

import ipaddress
from typing import Annotated

from fastapi import Depends, Request

from argent_marketplace.accounts.errors import Forbidden, Unauthenticated
from argent_marketplace.accounts.services import Principal, authenticate, touch_token
from argent_marketplace.db.engine import transaction
from argent_marketplace.licensing.ratelimit import hit, refuse_if_over
from argent_marketplace.server.services import Services

__all__ = ["AccountDep", "AdminDep", "AuthorDep", "ServicesDep", "bearer_token", "client_address"]


async def get_services(request: Request) -> Services:
    """The process's services (built by ``create_app``).

    ``async`` because it does no I/O: FastAPI runs a plain ``def`` dependency in a
    worker thread, a hop that cost about 6% of a catalog request's CPU.
    """
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


def bearer_token(request: Request) -> str | None:
    """The token of ``Authorization: Bearer <token>``, if any."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def client_address(request: Request) -> str:
    """The caller's address for per-address limits: an IPv6 client counts as its /64.

    uvicorn applies ``X-Forwarded-For`` from the proxies ``FORWARDED_ALLOW_IPS`` trusts.
    """
    host = request.client.host if request.client else "unknown"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        if address in _NAT64:  # an IPv4 client through a translator: its own address
            return str(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
        return str(ipaddress.ip_network(f"{host}/64", strict=False))
    return str(address)


AUTH_FAILURE_WINDOW = 300  # seconds


def get_principal(request: Request, services: ServicesDep) -> Principal:
    """Authenticate the bearer token (401 without a valid one; 429 after many bad ones).

    Each address may present ``auth_failures_per_address`` bad tokens in five minutes;
    past that its bad tokens get 429 until the window ends (SECURITY-CASES G3). A valid
    token always works, so nobody sharing the address can lock its authors out.
    """
    token = bearer_token(request)
    now = services.clock()
    refused: Unauthenticated | None = None
    # Authentication only reads; the last-used time is written at most every few minutes,
    # so authenticated reads never take the database's write lock.
    with services.engine.connect() as conn:
        try:
            principal = authenticate(conn, token, secret=services.keys.tokens, now=now)
        except Unauthenticated as exc:
            if token is None:
                raise
            refused = exc
    limit = services.settings.auth_failures_per_address
    if refused is not None:
        if limit > 0:
            bucket = f"auth-fail:{client_address(request)}"
            window, code = AUTH_FAILURE_WINDOW, "too-many-bad-tokens"
            with services.engine.connect() as conn:  # already over: a read, no write
                refuse_if_over(conn, bucket, limit=limit, window_seconds=window, now=now, code=code)
            with transaction(services.engine) as conn:  # 429 instead, once over the limit
                hit(conn, bucket, limit=limit, window_seconds=window, now=now, code=code)
        raise refused
    if principal.needs_touch:
        with transaction(services.engine) as conn:
            touch_token(conn, principal.token_id, services.clock())
    return principal


async def get_author(principal: Annotated[Principal, Depends(get_principal)]) -> Principal:
    """An author's token with the publish scope (403 otherwise)."""
    principal.require("publish")
    if principal.author_id is None:
        raise Forbidden(
            "this token belongs to no author",
            code="not-an-author",
            hint="use the token you got when you registered",
        )
    return principal


async def get_admin(principal: Annotated[Principal, Depends(get_principal)]) -> Principal:
    """A token with the admin scope (403 otherwise)."""
    principal.require("admin")
    return principal


async def get_account_owner(principal: Annotated[Principal, Depends(get_author)]) -> Principal:
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
