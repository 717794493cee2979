"""The one root of every error the project raises on purpose.

Every domain defines its own family below :class:`Error`. Only two places turn
an ``Error`` into output: :func:`argent_marketplace.client.output.run_command`
for the CLI and the server's exception handler for HTTP, so the message a user
sees is always the one written next to the check that failed.

Tree::

    Error
    ├── package.errors.PackageError        (the .argent-pkg format)
    │   ├── ArchiveError                   (unsafe or malformed archive, exit 4)
    │   ├── ManifestError                  (argent.plugin.json / connector.json, exit 3)
    │   ├── IntegrityError                 (SHA256SUMS / SIGNATURE, exit 5)
    │   ├── SigningKeyError                (signing keys, exit 3)
    │   ├── SourceError                    (the folder being packed, exit 3)
    │   ├── ExtractError                   (writing an accepted package to disk, exit 6)
    │   └── OutputError                    (writing a key or package file, exit 6)
    ├── accounts.errors.AccountError       (authors, tokens, keys)
    ├── catalog.errors.CatalogError        (listing and search)
    ├── publish.errors.PublishError        (the upload pipeline)
    ├── downloads.errors.DownloadError     (licensed downloads)
    ├── storage.errors.StorageError        (package blobs)
    ├── licensing.errors.LicenseError      (keys, activations, rate limits)
    ├── moderation.services.*              (invalid transitions, missing reasons)
    ├── scan.errors.ScanError              (the scanner and its policy)
    ├── client.errors.ClientError          (config, server conversations, installs)
    └── db.errors.DatabaseError            (the database)
"""

from __future__ import annotations

from typing import Any

__all__ = ["Error", "ExitCode"]


class ExitCode:
    """Documented process exit codes (docs/cli.md); stable across releases."""

    OK = 0
    INTERNAL = 1
    USAGE = 2
    INVALID_INPUT = 3
    UNSAFE_ARCHIVE = 4
    VERIFICATION_FAILED = 5
    LOCAL_IO = 6
    # Commands that talk to a marketplace server (client/errors.py).
    SERVER_UNREACHABLE = 7
    SERVER_REFUSED = 8
    # `argent marketplace scan`: the package would not publish (pending_review or flagged).
    SCAN_BLOCKED = 9
    INTERRUPTED = 130


class Error(Exception):
    """An error meant for a person: a stable code, what went wrong, how to fix it.

    Args:
        message: What is wrong and where (one line).
        hint: How to fix it (one line), or ``None`` when there is nothing to add.
        code: Stable kebab-case code; defaults to the class attribute.
        details: Machine-readable extras (paths, field names) for ``--json`` and HTTP.
    """

    code: str = "error"
    exit_code: int = ExitCode.INTERNAL
    http_status: int = 400

    def __init__(
        self,
        message: str,
        *,
        hint: str | None = None,
        code: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        if code is not None:
            self.code = code
        self.details: dict[str, Any] = dict(details or {})
        # Further problems of the same input, found in the same pass (a manifest with
        # five mistakes): the CLI prints them all, so one run shows everything to fix.
        self.more: list[Error] = []

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape shared by the CLI's ``--json`` and the HTTP API."""
        out: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.hint:
            out["hint"] = self.hint
        if self.details:
            out["details"] = self.details
        return out
