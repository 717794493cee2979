"""Errors of the client's conversations with a marketplace server.

Tree::

    ClientError
    ├── ConfigError        the local config file cannot be read or written (exit 6)
    ├── ServerUnreachable  no answer: connection refused, DNS, timeout (exit 7)
    │   └── DownloadFailed     the archive download broke off, overran or stalled (exit 7)
    ├── ApiError           the server answered with an error envelope (exit 8)
    ├── InstallRefused     the package is not what it claims or not who it claims (exit 5)
    └── InstallConflict    the request does not fit what is installed or the system (exit 3)
"""

from __future__ import annotations

from argent_marketplace.errors import Error, ExitCode

__all__ = [
    "ApiError",
    "BadServerUrl",
    "ClientError",
    "ConfigError",
    "DownloadFailed",
    "InstallConflict",
    "InstallRefused",
    "NotAPackage",
    "PublishBlocked",
    "ServerUnreachable",
]


class ClientError(Error):
    """Base of client-side errors."""

    code = "client-error"
    exit_code = ExitCode.LOCAL_IO


class ConfigError(ClientError):
    """``~/.argentos/marketplace.json`` is unreadable or unwritable."""

    code = "config-error"


class ServerUnreachable(ClientError):
    """The marketplace server did not answer."""

    code = "server-unreachable"
    exit_code = ExitCode.SERVER_UNREACHABLE


class ApiError(ClientError):
    """The server refused the request; ``code`` and message come from its envelope."""

    code = "server-error"
    exit_code = ExitCode.SERVER_REFUSED

    def __init__(self, message: str, *, status: int, **kw: object) -> None:
        super().__init__(message, **kw)  # type: ignore[arg-type]
        self.status = status


class DownloadFailed(ServerUnreachable):
    """The download did not complete within its size and time bounds."""

    code = "download-failed"


class InstallRefused(ClientError):
    """Verification, checksum or key trust failed: nothing was installed."""

    code = "install-refused"
    exit_code = ExitCode.VERIFICATION_FAILED


class InstallConflict(ClientError):
    """Incompatible ArgentOS, a downgrade, or a connector that is not installed."""

    code = "install-conflict"
    exit_code = ExitCode.INVALID_INPUT


class PublishBlocked(ClientError):
    """The upload was stored but flagged: it will not be published (scripts must see it)."""

    code = "publish-flagged"
    exit_code = ExitCode.SCAN_BLOCKED


class NotAPackage(ClientError):
    """A command that takes a package file was given something else (a folder)."""

    code = "not-a-package"
    exit_code = ExitCode.INVALID_INPUT


class BadServerUrl(ClientError):
    """``--server`` / ``ARGENT_MARKETPLACE_URL`` is not an http(s) URL with a host."""

    code = "invalid-server-url"
    exit_code = ExitCode.INVALID_INPUT
