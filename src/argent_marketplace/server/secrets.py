"""The server's HMAC keys, one per purpose, derived from a single secret.

The secret comes from ``ARGENT_MARKETPLACE_SECRET`` when set (recommended at
scale: it then never sits in the database), else from the ``server_secrets``
table, created once by whichever process starts first; every process of one
deployment therefore derives the same keys.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Engine, insert, select
from sqlalchemy.exc import IntegrityError

from argent_marketplace.db.engine import transaction
from argent_marketplace.db.metadata import utcnow
from argent_marketplace.db.models import server_secrets

__all__ = ["ServerKeys", "load_keys"]


@dataclass(frozen=True, slots=True)
class ServerKeys:
    """Purpose-bound keys: a key for one purpose never validates another's MAC."""

    tokens: bytes
    downloads: bytes
    licenses: bytes
    license_signing: Ed25519PrivateKey


def _derive(secret: bytes, purpose: str) -> bytes:
    return hmac.new(secret, purpose.encode(), hashlib.sha256).digest()


def _stored_secret(engine: Engine) -> bytes:
    with transaction(engine) as conn:
        row = conn.execute(
            select(server_secrets.c.value).where(server_secrets.c.name == "main")
        ).first()
        if row is not None:
            return bytes(row.value)
    try:
        with transaction(engine) as conn:
            conn.execute(
                insert(server_secrets).values(
                    name="main", value=secrets.token_bytes(32), created_at=utcnow()
                )
            )
    except IntegrityError:
        pass  # another process created it first; read theirs
    with transaction(engine) as conn:
        return bytes(
            conn.execute(
                select(server_secrets.c.value).where(server_secrets.c.name == "main")
            ).scalar_one()
        )


def load_keys(engine: Engine, configured: str | None) -> ServerKeys:
    """Keys from the configured secret, or the one stored in the database."""
    secret = configured.encode() if configured else _stored_secret(engine)
    return ServerKeys(
        tokens=_derive(secret, "api-tokens"),
        downloads=_derive(secret, "downloads"),
        licenses=_derive(secret, "license-keys"),
        # Deterministic from the secret: every process signs license tokens with one key.
        license_signing=Ed25519PrivateKey.from_private_bytes(_derive(secret, "license-signing")),
    )
