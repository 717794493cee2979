"""API tokens: random, shown once, stored as an HMAC under the server secret.

A token is ``amp_`` + 43 characters of URL-safe base64 (256 random bits). The
database keeps ``HMAC-SHA256(secret, token)``: a leaked database yields no
usable token, and lookups are a single indexed equality.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

__all__ = ["PREFIX", "digest", "new_token"]

PREFIX = "amp_"


def new_token() -> str:
    """A fresh token."""
    return PREFIX + secrets.token_urlsafe(32)


def digest(token: str, secret: bytes) -> str:
    """The stored form of ``token``."""
    return hmac.new(secret, token.encode(), hashlib.sha256).hexdigest()
