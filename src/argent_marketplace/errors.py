"""The one root of every error the project raises on purpose.

Every domain defines its own family below :class:`Error`; the CLI's ``main()``
and the server's single exception handler are the only places that turn an
``Error`` into output, so the message a user sees is always the one written
next to the check that failed.

Tree::

    Error
    ├── package.errors.PackageError        (the .argent-pkg format)
    │   ├── ArchiveError                   (unsafe or malformed archive)
    │   ├── ManifestError                  (argent.plugin.json / connector.json)
    │   ├── IntegrityError                 (SHA256SUMS / SIGNATURE)
    │   ├── KeyError_                      (signing keys)
    │   └── SourceError                    (the folder being packed)
    └── client.errors.CliError             (usage and local file problems)
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

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape shared by the CLI's ``--json`` and the HTTP API."""
        out: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.hint:
            out["hint"] = self.hint
        if self.details:
            out["details"] = self.details
        return out
