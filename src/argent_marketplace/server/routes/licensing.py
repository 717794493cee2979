"""License activation and status (spec API rows ``/activate`` and ``/license/:key``).

Every endpoint here is rate limited per client address and per key, with the
counters in the database so several server processes share them.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Annotated, Any

from fastapi import APIRouter, Header, Request
from pydantic import BaseModel, Field
from sqlalchemy import Connection

from argent_marketplace.db.engine import transaction
from argent_marketplace.licensing import services as lic
from argent_marketplace.licensing.keys import normalize
from argent_marketplace.licensing.ratelimit import hit
from argent_marketplace.server.deps import ServicesDep
from argent_marketplace.server.services import Services

router = APIRouter(prefix="/api/v1", tags=["licensing"])

_WINDOW = 60


class Activation(BaseModel):
    """A machine asking for a slot."""

    key: str = Field(max_length=64)
    instance_id: str = Field(min_length=1, max_length=64)
    hardware_fingerprint: str = Field(min_length=16, max_length=64)


class Deactivation(BaseModel):
    """A machine giving its slot back."""

    key: str = Field(max_length=64)
    hardware_fingerprint: str = Field(min_length=16, max_length=64)
    instance_id: str | None = Field(default=None, max_length=64)


class BulkValidation(BaseModel):
    """Up to 100 keys."""

    keys: list[str] = Field(max_length=100)


def _limit(
    conn: Connection,
    services: Services,
    request: Request,
    key: str | None,
    *,
    activation: bool = False,
) -> None:
    """Per-address and per-key limits; identities are hashed, keys never stored."""
    settings, now = services.settings, services.clock()
    address = request.client.host if request.client else "unknown"
    hit(
        conn,
        f"lic-ip:{address}",
        limit=settings.license_rate_per_address,
        window_seconds=_WINDOW,
        now=now,
    )
    if key:
        ident = hashlib.sha256(key.strip().upper().encode()).hexdigest()[:32]
        hit(
            conn,
            f"lic-key:{ident}",
            limit=settings.license_rate_per_key,
            window_seconds=_WINDOW,
            now=now,
        )
        if activation:
            hit(
                conn,
                f"lic-act:{ident}",
                limit=settings.activation_changes_per_hour,
                window_seconds=3600,
                now=now,
                code="activation-rate-limited",
            )


@router.post("/activate")
def activate(body: Activation, request: Request, services: ServicesDep) -> dict[str, Any]:
    """Activate this machine; answers the license state and a signed offline token."""
    with transaction(services.engine) as conn:
        _limit(conn, services, request, body.key, activation=True)
    with transaction(services.engine) as conn:
        return lic.activate(
            conn,
            services.license_keys,
            key=body.key,
            instance_id=body.instance_id,
            fingerprint=body.hardware_fingerprint,
            now=services.clock(),
        )


@router.post("/deactivate")
def deactivate(body: Deactivation, request: Request, services: ServicesDep) -> dict[str, Any]:
    """Free this machine's activation slot."""
    with transaction(services.engine) as conn:
        _limit(conn, services, request, body.key, activation=True)
    with transaction(services.engine) as conn:
        return lic.deactivate(
            conn,
            services.license_keys,
            key=body.key,
            fingerprint=body.hardware_fingerprint,
            instance_id=body.instance_id,
        )


@router.get("/license/public-key")
def public_key(services: ServicesDep) -> dict[str, Any]:
    """The key that signs license tokens (clients verify tokens offline with it)."""
    raw = services.keys.license_signing.public_key().public_bytes_raw()
    return {"algorithm": "Ed25519", "public_key": base64.b64encode(raw).decode()}


@router.post("/license/validate")
def validate(body: BulkValidation, request: Request, services: ServicesDep) -> dict[str, Any]:
    """Up to 100 keys at once, each in the dashboard's shape."""
    with transaction(services.engine) as conn:
        _limit(conn, services, request, None)
        for key in body.keys:
            _limit(conn, services, request, key)
    with services.engine.connect() as conn:
        return {
            "results": lic.validate_many(conn, services.license_keys, body.keys, services.clock())
        }


@router.get("/license/check/{key}")
def check(key: str, request: Request, services: ServicesDep) -> dict[str, Any]:
    """The existing dashboard's shape: ``valid``, ``status``, ``type``, ``orgName``, ``error``."""
    with transaction(services.engine) as conn:
        _limit(conn, services, request, key)
    with services.engine.connect() as conn:
        return lic.check_for_dashboard(conn, services.license_keys, key, services.clock())


@router.get("/license/{key}")
def status(
    key: str,
    request: Request,
    services: ServicesDep,
    x_hardware_fingerprint: Annotated[str | None, Header(max_length=64)] = None,
) -> dict[str, Any]:
    """Status, type, expiry and activations (revocation details only to activated machines)."""
    with transaction(services.engine) as conn:
        _limit(conn, services, request, key)
    normalize(key)
    with services.engine.connect() as conn:
        return lic.license_state(
            conn, key, services.license_keys, services.clock(), fingerprint=x_hardware_fingerprint
        )
