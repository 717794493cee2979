"""The scan domain's errors.

Tree::

    Error
    └── ScanError                    (the scanner and its policy)
        ├── PolicyError              (an invalid policy file, exit 3)
        ├── ScanBlocked              (the local gate: the package would not publish, exit 9)
        └── BudgetExceeded           (internal: the per-package time budget ran out)

A scan never fails because of what a package contains: hostile input becomes a
finding (fail closed), so only configuration and the local gate raise.
"""

from __future__ import annotations

from argent_marketplace.errors import Error, ExitCode

__all__ = ["SCAN_BLOCKED_EXIT", "BudgetExceeded", "PolicyError", "ScanBlocked", "ScanError"]

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
