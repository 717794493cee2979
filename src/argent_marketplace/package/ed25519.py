"""Strict acceptance rules for Ed25519 keys and signatures.

OpenSSL (behind ``cryptography``) already rejects signatures whose scalar S is
not reduced; these checks add what it leaves open, so that every verifier in the
project (server and client alike) accepts exactly the same set of keys and
signatures (SECURITY-CASES B7, "Taming the many EdDSAs"):

* a public key must be the canonical encoding of a curve point (y < p),
* it must not have small order (the all-zero key and the other 7 torsion points
  let one signature verify for many messages),
* a signature must be 64 bytes with S < L.

The point arithmetic is the textbook one of RFC 8032, section 5.1; it runs on
public data only, so constant time is not needed.
"""

from __future__ import annotations

from functools import lru_cache

__all__ = ["key_weakness", "signature_weakness"]

_P = 2**255 - 19
_L = 2**252 + 27742317777372353535851937790883648493
_D = (-121665 * pow(121666, -1, _P)) % _P
_SQRT_M1 = pow(2, (_P - 1) // 4, _P)

_Point = tuple[int, int, int, int]


def _decompress(data: bytes) -> _Point | None:
    y = int.from_bytes(data, "little")
    sign = y >> 255
    y &= (1 << 255) - 1
    if y >= _P:
        return None
    x2 = (y * y - 1) * pow(_D * y * y + 1, -1, _P) % _P
    if x2 == 0:
        if sign:
            return None
        x = 0
    else:
        x = pow(x2, (_P + 3) // 8, _P)
        if (x * x - x2) % _P:
            x = x * _SQRT_M1 % _P
        if (x * x - x2) % _P:
            return None
        if (x & 1) != sign:
            x = _P - x
    return (x, y, 1, x * y % _P)


def _double(pt: _Point) -> _Point:
    x, y, z, t = pt
    a = (y - x) * (y - x) % _P
    b = (y + x) * (y + x) % _P
    c = 2 * t * t * _D % _P
    d = 2 * z * z % _P
    e, f, g, h = b - a, d - c, d + c, b + a
    return (e * f % _P, g * h % _P, f * g % _P, e * h % _P)


@lru_cache(maxsize=1024)
def key_weakness(public_key: bytes) -> str | None:
    """Why ``public_key`` must not be trusted, or ``None`` when it is acceptable."""
    if len(public_key) != 32:
        return f"is {len(public_key)} bytes, not 32"
    point = _decompress(public_key)
    if point is None:
        return "is not a valid (canonical) Ed25519 point"
    for _ in range(3):
        point = _double(point)
    x, y, z, _t = point
    if x % _P == 0 and (y - z) % _P == 0:
        return "is a small-order point (a weak key that many signatures match)"
    return None


def signature_weakness(signature: bytes) -> str | None:
    """Why ``signature`` is malformed, or ``None`` when its shape is acceptable."""
    if len(signature) != 64:
        return f"is {len(signature)} bytes, not 64"
    if int.from_bytes(signature[32:], "little") >= _L:
        return "has a non-canonical S (S >= L)"
    return None
