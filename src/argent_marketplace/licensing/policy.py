"""What each pricing model grants (spec "Pricing Options"), and the open choices made.

| type | duration | activations |
|---|---|---|
| trial | ``trial_days`` of the package (7-30, default 14) | 1 |
| pro | 1 year (365 days) | 3 |
| enterprise | 1 year (365 days) | unlimited |
| per-skill | perpetual | 1 |

Choices the spec leaves open: a trial allows one machine (it is an evaluation);
a license is expired from the second its expiry passes (``now >= expires_at``);
"1 year" is 365 days; free packages need no license and none can be issued.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

__all__ = ["LICENSE_TYPES", "Terms", "terms_for"]

LICENSE_TYPES = ("trial", "pro", "enterprise", "per-skill")


@dataclass(frozen=True, slots=True)
class Terms:
    """Expiry and activation slots of a new license."""

    expires_at: datetime | None
    max_activations: int | None


def terms_for(license_type: str, now: datetime, trial_days: int | None = None) -> Terms:
    """The terms of a license of ``license_type`` issued at ``now``.

    Raises:
        ValueError: An unknown type.
    """
    if license_type == "trial":
        return Terms(now + timedelta(days=trial_days or 14), 1)
    if license_type == "pro":
        return Terms(now + timedelta(days=365), 3)
    if license_type == "enterprise":
        return Terms(now + timedelta(days=365), None)
    if license_type == "per-skill":
        return Terms(None, 1)
    raise ValueError(f"unknown license type {license_type!r}; use one of {LICENSE_TYPES}")
