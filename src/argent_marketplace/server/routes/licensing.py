"""License activation and status (spec API rows ``/activate`` and ``/license/:key``).

Every endpoint here is rate limited per client address and per key, with the
counters in the database so several server processes share them.
"""

from __future__ import annotations

import base64
import hashlib
import math
from typing import Annotated, Any

from fastapi import APIRouter, Header, Request
from pydantic import BaseModel, Field

from argent_marketplace.db.engine import transaction
from argent_marketplace.licensing import services as lic
from argent_marketplace.licensing.errors import InvalidKeyFormat
from argent_marketplace.licensing.keys import normalize
from argent_marketplace.licensing.ratelimit import hit
from argent_marketplace.server.deps import ServicesDep, client_address
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


# A bulk validation costs the address one check per this many keys (rounded up): 100
# keys, the most one request takes, count as 10 of the 60 a minute.
_KEYS_PER_CHECK = 10


def _key_identity(key: str) -> str | None:
    """The per-key bucket's identity: a digest of the canonical key (never the key).

    Spellings of one key (hyphens, spaces, case, I/L/O for 1/1/0) share it, so they
    cannot multiply its budget. A malformed key matches no license: no bucket.
    """
    try:
        canonical = normalize(key)
    except InvalidKeyFormat:
        return None
    return hashlib.sha256(canonical.encode()).hexdigest()[:32]


def _limit(
    services: Services,
    request: Request,
    keys: list[str],
    *,
    activation: bool = False,
) -> None:
    """Per-address and per-key limits; identities are hashed, keys never stored.

    The address counts as :func:`client_address` does (an IPv6 client as its /64, so
    rotating addresses inside it gains nothing), and is charged in a transaction of its
    own: a request refused by a key's limit still costs its address. Each distinct
    key counts once per request. A limit of 0 is off; with every limit off, nothing is
    written.
    """
    settings, now = services.settings, services.clock()
    if settings.license_rate_per_address > 0:
        cost = max(1, math.ceil(len(keys) / _KEYS_PER_CHECK))
        bucket, limit = f"lic-ip:{client_address(request)}", settings.license_rate_per_address
        with transaction(services.engine) as conn:
            hit(conn, bucket, limit=limit, window_seconds=_WINDOW, now=now, cost=cost)
    per_key, per_hour = settings.license_rate_per_key, settings.activation_changes_per_hour
    counts: list[tuple[str, int, int, str]] = []  # bucket, limit, window, refusal code
    for ident in sorted({i for i in map(_key_identity, keys) if i is not None}):
        if per_key > 0:
            counts.append((f"lic-key:{ident}", per_key, _WINDOW, "rate-limited"))
        if activation and per_hour > 0:
            counts.append((f"lic-act:{ident}", per_hour, 3600, "activation-rate-limited"))
    if counts:
        with transaction(services.engine) as conn:
            for bucket, limit, window, code in counts:
                hit(conn, bucket, limit=limit, window_seconds=window, now=now, code=code)


@router.post("/activate")
def activate(body: Activation, request: Request, services: ServicesDep) -> dict[str, Any]:
    """Activate this machine; answers the license state and a signed offline token."""
    _limit(services, request, [body.key], activation=True)
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
    _limit(services, request, [body.key], activation=True)
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
    _limit(services, request, list(body.keys[:100]))
    with services.engine.connect() as conn:
        return {
            "results": lic.validate_many(conn, services.license_keys, body.keys, services.clock())
        }


@router.get("/license/check/{key}")
def check(key: str, request: Request, services: ServicesDep) -> dict[str, Any]:
    """The existing dashboard's shape: ``valid``, ``status``, ``type``, ``orgName``, ``error``."""
    _limit(services, request, [key])
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
    _limit(services, request, [key])
    normalize(key)
    with services.engine.connect() as conn:
        return lic.license_state(
            conn, key, services.license_keys, services.clock(), fingerprint=x_hardware_fingerprint
        )
