"""The scan domain's errors.

Tree::

    Error
    └── ScanError                    (the scanner and its policy)
        ├── PolicyError              (an invalid policy file, exit 3)
        ├── ScanBlocked              (the local gate: the package would not publish, exit 9)
        ├── BudgetExceeded           (internal: the per-package time budget ran out)
        └── ScannerUnavailable       (server: no worker free, a worker died or overran; 503)

A scan never fails because of what a package contains: hostile input becomes a
finding (fail closed), so only configuration, the local gate and the server's
worker processes raise.
"""

from __future__ import annotations

from typing import Any

from argent_marketplace.errors import Error, ExitCode

__all__ = [
    "SCAN_BLOCKED_EXIT",
    "BudgetExceeded",
    "PolicyError",
    "ScanBlocked",
    "ScanError",
    "ScannerUnavailable",
]

SCAN_BLOCKED_EXIT = ExitCode.SCAN_BLOCKED
"""``argent marketplace scan`` exit code when the package would not be published."""


class ScanError(Error):
    """Something about scanning (not about the package scanned) went wrong."""

    code = "scan-error"
    exit_code = ExitCode.INVALID_INPUT


class PolicyError(ScanError):
    """A policy file that cannot be used as written."""

    code = "invalid-scan-policy"


class ScanBlocked(ScanError):
    """The local gate's answer when the marketplace would hold or block the package."""

    code = "scan-blocked"
    exit_code = SCAN_BLOCKED_EXIT


class BudgetExceeded(ScanError):
    """Raised inside a scan when its time budget is spent; becomes a finding."""

    code = "scan-budget-exceeded"


class ScannerUnavailable(ScanError):
    """The server could not scan a package now; the publish stores nothing (503)."""

    code = "scanner-unavailable"
    exit_code = ExitCode.INTERNAL
    http_status = 503

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        hint: str | None = None,
        retry_after: int | None = None,
    ) -> None:
        details: dict[str, Any] = {} if retry_after is None else {"retry_after": retry_after}
        super().__init__(message, code=code, hint=hint, details=details)
        self.retry_after = retry_after
