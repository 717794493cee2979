"""Errors of blob storage, translated from the filesystem or botocore at the boundary."""

from __future__ import annotations

from argent_marketplace.errors import Error, ExitCode

__all__ = ["BlobNotFound", "StorageError"]


class StorageError(Error):
    """The blob store cannot be reached or refused an operation."""

    code = "storage-error"
    exit_code = ExitCode.LOCAL_IO
    http_status = 503


class BlobNotFound(StorageError):
    """No blob under that key (removed, or never written)."""

    code = "blob-not-found"
    http_status = 404
