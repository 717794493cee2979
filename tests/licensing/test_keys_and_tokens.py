"""License key format and offline tokens, through the library API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from argent_marketplace.licensing.errors import InvalidKeyFormat, LicenseRejected
from argent_marketplace.licensing.keys import digest, new_key, normalize
from argent_marketplace.licensing.tokens import sign_token, verify_token
from argent_marketplace.package.signing import public_key_b64
from argent_marketplace.server.logs import redact

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
FP = "f" * 64


def test_keys_are_readable_and_normalised() -> None:
    key = new_key()
    assert key.startswith("ARGN-") and len(key) == 30 and key.count("-") == 5
    assert normalize(key.lower()) == key
    assert normalize(key.replace("-", " ")) == key
    assert normalize(key.replace("1", "I")) == key  # I and L read as 1, O as 0
    assert len({new_key() for _ in range(200)}) == 200


def test_typos_are_caught_locally() -> None:
    key = new_key()
    body = key.replace("-", "")
    for i in range(4, 24):  # every single-character substitution in the body
        wrong_char = "2" if body[i] != "2" else "3"
        typo = body[:i] + wrong_char + body[i + 1 :]
        with pytest.raises(InvalidKeyFormat):
            normalize(typo)
    for bad in ("", "ARGN-1234", key[:-2], "XXXX" + key[4:], key + "0", "ARGN-" + "U" * 20 + "-0"):
        with pytest.raises(InvalidKeyFormat):
            normalize(bad)


def test_digest_is_keyed() -> None:
    key = new_key()
    assert digest(key, b"a") != digest(key, b"b")
    assert digest(key.lower(), b"a") == digest(key, b"a")


def _token(key: Ed25519PrivateKey, **changes: object) -> str:
    payload = {
        "v": 1,
        "lic": "L1",
        "type": "pro",
        "pkgs": ["aos-x"],
        "exp": None,
        "fp": FP,
        "iat": int(NOW.timestamp()),
        "grace": 72 * 3600,
    }
    payload.update(changes)
    return sign_token(key, payload)


def test_offline_token_accepted_within_grace() -> None:
    key = Ed25519PrivateKey.generate()
    payload = verify_token(
        _token(key), public_key_b64(key), fingerprint=FP, now=NOW + timedelta(hours=71)
    )
    assert payload["pkgs"] == ["aos-x"]


@pytest.mark.parametrize(
    ("case", "code"),
    [
        ("forged", "bad-signature"),
        ("tampered", "bad-signature"),
        ("expired-grace", "license-file-expired"),
        ("expired-license", "license-file-expired"),
        ("other-machine", "wrong-machine"),
        ("clock-rollback", "clock-tamper-suspected"),
        ("garbage", "malformed-token"),
    ],
)
def test_offline_token_refusals(case: str, code: str) -> None:
    key = Ed25519PrivateKey.generate()
    public, now, fingerprint = public_key_b64(key), NOW + timedelta(hours=1), FP
    token = _token(key)
    if case == "forged":
        token = _token(Ed25519PrivateKey.generate())
    elif case == "tampered":
        body, sig = token.split(".")
        import base64
        import json

        data = json.loads(base64.urlsafe_b64decode(body + "=="))
        data["pkgs"] = ["aos-everything"]
        body = base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()
        token = f"{body}.{sig}"
    elif case == "expired-grace":
        now = NOW + timedelta(hours=73)
    elif case == "expired-license":
        token = _token(key, exp=(NOW + timedelta(minutes=30)).isoformat())
    elif case == "other-machine":
        fingerprint = "0" * 64
    elif case == "clock-rollback":
        now = NOW - timedelta(hours=2)
    elif case == "garbage":
        token = "not-a-token"
    with pytest.raises(LicenseRejected) as info:
        verify_token(token, public, fingerprint=fingerprint, now=now)
    assert info.value.code == code


def test_secrets_never_reach_logs() -> None:
    key = new_key()
    line = f'127.0.0.1 - "GET /api/v1/license/check/{key} HTTP/1.1" 200'
    assert key not in redact(line) and "[REDACTED]" in redact(line)
    assert "amp_" not in redact("Authorization: Bearer amp_" + "x" * 43)
    assert key.lower() not in redact(f"?key={key.lower()}")
