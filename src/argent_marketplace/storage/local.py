"""Blobs in a local folder (the embedded default).

Writes go to a temporary file in the same folder, are fsynced, then renamed
into place: a reader never sees half a blob, and a crash leaves at most a
temporary file that ``cleanup_temp`` removes.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from argent_marketplace.storage.errors import BlobNotFound, StorageError

__all__ = ["LocalBlobStorage"]


class LocalBlobStorage:
    """A :class:`~argent_marketplace.storage.interfaces.BlobStorage` on the filesystem."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.root.mkdir(parents=True, exist_ok=True, mode=0o700)

    def _path(self, key: str) -> Path:
        parts = key.split("/")
        if not key or any(p in ("", ".", "..") for p in parts):
            raise StorageError(f"invalid blob key {key!r}", code="invalid-blob-key")
        return self.root.joinpath(*parts)

    def put(self, key: str, source: BinaryIO, size: int) -> None:
        """Copy ``size`` bytes from ``source`` into place atomically."""
        dest = self._path(key)
        try:
            dest.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=dest.parent)
            try:
                with os.fdopen(fd, "wb") as out:
                    remaining = size
                    while remaining > 0:
                        chunk = source.read(min(remaining, 1 << 20))
                        if not chunk:
                            raise StorageError(f"blob {key} ended early", code="short-blob")
                        out.write(chunk)
                        remaining -= len(chunk)
                    out.flush()
                    os.fsync(out.fileno())
                Path(tmp).replace(dest)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as exc:
            raise StorageError(f"cannot write blob {key}: {exc.strerror}") from exc

    def open_chunks(self, key: str, chunk_size: int = 65536) -> Iterator[bytes]:
        """Open now (so absence is reported before streaming starts), read lazily."""
        try:
            fh = self._path(key).open("rb")
        except FileNotFoundError as exc:
            raise BlobNotFound(f"blob {key} not found") from exc
        return self._iterate(fh, chunk_size)

    @staticmethod
    def _iterate(fh: BinaryIO, chunk_size: int) -> Iterator[bytes]:
        with fh:
            while chunk := fh.read(chunk_size):
                yield chunk

    def size(self, key: str) -> int:
        """Size from the filesystem."""
        try:
            return self._path(key).stat().st_size
        except FileNotFoundError as exc:
            raise BlobNotFound(f"blob {key} not found") from exc

    def delete(self, key: str) -> None:
        """Unlink; absent is fine (a file where a folder of the path should be included)."""
        try:
            self._path(key).unlink(missing_ok=True)
        except NotADirectoryError:
            return
        except OSError as exc:
            raise StorageError(f"cannot delete blob {key}: {exc.strerror}") from exc

    def exists(self, key: str) -> bool:
        """Whether the file exists."""
        return self._path(key).is_file()

    def presigned_url(self, key: str, expires_in: int, filename: str) -> str | None:
        """Local blobs are served by the app itself through HMAC-signed URLs."""
        return None

    def ping(self) -> None:
        """The folder exists and is writable."""
        if not os.access(self.root, os.W_OK):
            raise StorageError(f"blob folder {self.root} is not writable")
