"""Errors of downloads."""

from __future__ import annotations

from argent_marketplace.errors import Error, ExitCode

__all__ = ["DownloadError", "LicenseRequired", "UrlRejected"]


class DownloadError(Error):
    """Base of download errors."""

    code = "download-error"
    exit_code = ExitCode.INVALID_INPUT


class UrlRejected(DownloadError):
    """A signed URL that is expired, altered or for something else."""

    code = "bad-signature"
    http_status = 403


class LicenseRequired(DownloadError):
    """A paid package needs an activated license to download."""

    code = "license-required"
    http_status = 402
