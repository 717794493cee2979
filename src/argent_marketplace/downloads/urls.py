"""HMAC-signed download URLs for the local blob store.

A URL names a version and carries its expiry and ``HMAC-SHA256(key, version id,
sha256, expiry)``: changing any part (another version, a later expiry) breaks
the signature, which is compared in constant time. In S3 mode the store's own
presigned URLs are used instead.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from argent_marketplace.downloads.errors import UrlRejected

__all__ = ["check_signature", "sign"]


def _mac(key: bytes, version_id: str, sha256: str, expires: int) -> str:
    message = f"download\n{version_id}\n{sha256}\n{expires}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def sign(key: bytes, version_id: str, sha256: str, expires: int) -> str:
    """The ``sig`` query parameter for a URL valid until ``expires`` (Unix seconds)."""
    return _mac(key, version_id, sha256, expires)


def check_signature(
    key: bytes, version_id: str, sha256: str, expires: int, sig: str, *, now: float | None = None
) -> None:
    """Accept only an untampered, unexpired URL.

    Raises:
        UrlRejected: ``bad-signature`` or ``url-expired``.
    """
    expected = _mac(key, version_id, sha256, expires).encode()
    given = sig.encode("utf-8", "replace")  # compare_digest refuses non-ASCII text
    if not hmac.compare_digest(expected, given):
        raise UrlRejected(
            "the download URL is not valid (altered or for another package)",
            hint="ask the catalog for a new download URL",
        )
    if (time.time() if now is None else now) >= expires:
        raise UrlRejected(
            "the download URL has expired",
            code="url-expired",
            hint="ask the catalog for a new download URL",
        )
