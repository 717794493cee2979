"""Errors of the .argent-pkg format, split by who must act.

Tree::

    PackageError
    ├── ArchiveError      the archive itself is unsafe or malformed (exit 4)
    ├── ManifestError     argent.plugin.json or connector.json is invalid (exit 3)
    ├── IntegrityError    SHA256SUMS or SIGNATURE does not hold (exit 5)
    ├── SigningKeyError   a key file or public key is unusable (exit 3)
    ├── SourceError       the connector folder cannot be packed (exit 3)
    ├── ExtractError      writing an accepted package to disk failed (exit 6)
    └── OutputError       writing a key or a package file failed (exit 6)

Codes are stable kebab-case strings shared by the server and the client
(``absolute-path``, ``checksum-mismatch``, ...).
"""

from __future__ import annotations

from argent_marketplace.errors import Error, ExitCode

__all__ = [
    "ArchiveError",
    "ExtractError",
    "IntegrityError",
    "ManifestError",
    "OutputError",
    "PackageError",
    "SigningKeyError",
    "SourceError",
]


class PackageError(Error):
    """Base of every error about a package or its parts."""

    code = "invalid-package"
    exit_code = ExitCode.INVALID_INPUT


class ArchiveError(PackageError):
    """The archive is unsafe or malformed; nothing from it may be used."""

    code = "invalid-archive"
    exit_code = ExitCode.UNSAFE_ARCHIVE


class ManifestError(PackageError):
    """``argent.plugin.json`` or ``connector.json`` breaks the format rules."""

    code = "invalid-manifest"
    exit_code = ExitCode.INVALID_INPUT


class IntegrityError(PackageError):
    """Checksums or the signature do not hold: the package may have been tampered with."""

    code = "integrity-failed"
    exit_code = ExitCode.VERIFICATION_FAILED
    http_status = 422


class SigningKeyError(PackageError):
    """A private key file or public key cannot be used for Ed25519."""

    code = "invalid-key"
    exit_code = ExitCode.INVALID_INPUT


class SourceError(PackageError):
    """The connector folder cannot be packed as it is."""

    code = "invalid-source"
    exit_code = ExitCode.INVALID_INPUT


class ExtractError(PackageError):
    """Writing an accepted package to disk failed (disk full, permissions)."""

    code = "extract-failed"
    exit_code = ExitCode.LOCAL_IO


class OutputError(PackageError):
    """A key or package file cannot be written where the user asked (a folder, no space...).

    Local I/O, not bad input: the same command succeeds once the path or disk is fixed.
    """

    code = "write-failed"
    exit_code = ExitCode.LOCAL_IO
