"""Why a publish was refused; each maps to one HTTP status and stores nothing.

Tree::

    PublishError
    ├── PackageRejected     400 schema: archive, manifest or connector.json problems
    ├── PackageTooLarge     413 over the size limits
    ├── SignatureRejected   422 signature or checksum mismatch
    ├── KeyRejected         403 signing key not registered to the author, or revoked
    ├── NameTaken           403 the name belongs to another author
    └── VersionExists       409 versions are immutable
"""

from __future__ import annotations

from argent_marketplace.errors import Error, ExitCode

__all__ = [
    "KeyRejected",
    "NameTaken",
    "PackageRejected",
    "PackageTooLarge",
    "PublishError",
    "SignatureRejected",
    "VersionExists",
]


class PublishError(Error):
    """Base of publish refusals."""

    code = "publish-refused"
    exit_code = ExitCode.INVALID_INPUT


class PackageRejected(PublishError):
    """The package breaks the format rules (details list every problem)."""

    code = "invalid-package"
    http_status = 400


class PackageTooLarge(PublishError):
    """The upload or its content is over the limits."""

    code = "package-too-large"
    http_status = 413


class SignatureRejected(PublishError):
    """Checksums or the signature do not hold."""

    code = "bad-signature"
    exit_code = ExitCode.VERIFICATION_FAILED
    http_status = 422


class KeyRejected(PublishError):
    """The signing key is not an active key of the publishing author."""

    code = "unknown-signing-key"
    http_status = 403


class NameTaken(PublishError):
    """Another author owns the package name."""

    code = "name-taken"
    http_status = 403


class VersionExists(PublishError):
    """This version was published before (with other bytes, or removed)."""

    code = "version-exists"
    http_status = 409
