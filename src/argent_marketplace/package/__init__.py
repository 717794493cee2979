"""The .argent-pkg format: manifest rules, the safe reader, signing and verification.

This domain depends on nothing else of ours; server and client build on it.
"""

from argent_marketplace.package.errors import (
    ArchiveError,
    ExtractError,
    IntegrityError,
    ManifestError,
    OutputError,
    PackageError,
    SigningKeyError,
    SourceError,
)
from argent_marketplace.package.limits import DEFAULT_LIMITS, Limits
from argent_marketplace.package.verify import (
    VerificationReport,
    VerifiedPackage,
    check_package,
    verify_package,
)

__all__ = [
    "DEFAULT_LIMITS",
    "ArchiveError",
    "ExtractError",
    "IntegrityError",
    "Limits",
    "ManifestError",
    "OutputError",
    "PackageError",
    "SigningKeyError",
    "SourceError",
    "VerificationReport",
    "VerifiedPackage",
    "check_package",
    "verify_package",
]
