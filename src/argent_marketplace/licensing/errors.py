"""Errors of licensing, with codes distinct for the key's owner.

Tree::

    LicenseError
    ├── InvalidKeyFormat   400 the key is not well formed (typo caught by the check character)
    ├── LicenseRejected    402/403 unknown, expired, revoked, wrong package, no activation
    ├── TooManyMachines    403 every activation slot is taken
    └── RateLimited        429 with Retry-After
"""

from __future__ import annotations

from argent_marketplace.errors import Error, ExitCode

__all__ = ["InvalidKeyFormat", "LicenseError", "LicenseRejected", "RateLimited", "TooManyMachines"]


class LicenseError(Error):
    """Base of license errors."""

    code = "license-error"
    exit_code = ExitCode.SERVER_REFUSED


class InvalidKeyFormat(LicenseError):
    """A typo or a truncated key: refused before any lookup."""

    code = "invalid-key-format"
    exit_code = ExitCode.INVALID_INPUT
    http_status = 400


class LicenseRejected(LicenseError):
    """The license cannot be used (the code says why: unknown, expired, revoked...)."""

    code = "license-rejected"
    http_status = 403


class TooManyMachines(LicenseError):
    """All activation slots are in use."""

    code = "too-many-machines"
    http_status = 403


class RateLimited(LicenseError):
    """Too many license requests from this address or for this key."""

    code = "rate-limited"
    http_status = 429

    def __init__(self, message: str, *, retry_after: int, **kw: object) -> None:
        super().__init__(message, details={"retry_after": retry_after}, **kw)  # type: ignore[arg-type]
        self.retry_after = retry_after
