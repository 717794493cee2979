"""Signed license tokens: what a machine shows offline that it holds an active license.

``base64url(payload JSON) "." base64url(Ed25519 signature)``, signed by the
marketplace's license key. The payload carries the license id, its type, the
packages it covers, the license expiry, the machine fingerprint, and when it was
issued; the client accepts it for a grace period after issue (default 72 h)
without asking the server, and refuses it when:

* the signature does not verify with the marketplace key (``bad-signature``),
* it was issued for another machine (``wrong-machine``),
* the grace period or the license itself has run out (``license-file-expired``),
* its issue time lies in the future beyond tolerance: the clock was turned back
  (``clock-tamper-suspected``).
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from argent_marketplace.licensing.errors import LicenseRejected

__all__ = ["CLOCK_TOLERANCE", "sign_token", "verify_token"]

CLOCK_TOLERANCE = timedelta(minutes=5)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign_token(key: Ed25519PrivateKey, payload: dict[str, Any]) -> str:
    """Serialise and sign ``payload``."""
    body = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
    return f"{_b64(body)}.{_b64(key.sign(body))}"


def _reject(code: str, message: str) -> LicenseRejected:
    return LicenseRejected(
        message, code=code, hint="run 'argent marketplace activate KEY' again while online"
    )


def verify_token(token: str, public_key: str, *, fingerprint: str, now: datetime) -> dict[str, Any]:
    """The payload of a valid token for this machine at ``now``.

    Raises:
        LicenseRejected: ``malformed-token``, ``bad-signature``, ``wrong-machine``,
            ``clock-tamper-suspected`` or ``license-file-expired``.
    """
    try:
        body_b64, sig_b64 = token.split(".")
        body, sig = _unb64(body_b64), _unb64(sig_b64)
        raw_key = base64.b64decode(public_key, validate=True)
        Ed25519PublicKey.from_public_bytes(raw_key).verify(sig, body)
    except InvalidSignature as exc:
        raise _reject(
            "bad-signature", "the license token is not signed by the marketplace"
        ) from exc
    except (ValueError, binascii.Error) as exc:
        raise _reject("malformed-token", "the license token is damaged") from exc
    payload: dict[str, Any] = json.loads(body)
    if payload.get("fp") != fingerprint:
        raise _reject("wrong-machine", "the license token was issued for another machine")
    issued = datetime.fromtimestamp(int(payload["iat"]), UTC)
    if issued - now > CLOCK_TOLERANCE:
        raise _reject(
            "clock-tamper-suspected",
            "the license token was issued in the future: is the clock set back?",
        )
    valid_until = issued + timedelta(seconds=int(payload["grace"]))
    if payload.get("exp"):
        valid_until = min(valid_until, datetime.fromisoformat(payload["exp"]))
    if now >= valid_until:
        raise _reject("license-file-expired", "the offline license token has run out")
    return payload
