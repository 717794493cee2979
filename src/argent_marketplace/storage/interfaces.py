"""What the marketplace needs from a blob store, and nothing more.

Blobs are immutable and content-addressed (``sha256/ab/cd/<hex>``): writing the
same key twice writes the same bytes, so retries and concurrent publishes of
one archive are harmless.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO, Protocol

__all__ = ["BlobStorage", "blob_key"]


def blob_key(sha256_hex: str) -> str:
    """The key of an archive with this sha256."""
    return f"sha256/{sha256_hex[:2]}/{sha256_hex[2:4]}/{sha256_hex}"


class BlobStorage(Protocol):
    """A store of immutable blobs."""

    def put(self, key: str, source: BinaryIO, size: int) -> None:
        """Store ``size`` bytes read from ``source`` under ``key``, atomically."""

    def open_chunks(self, key: str, chunk_size: int = 65536) -> Iterator[bytes]:
        """Stream a blob; raises ``BlobNotFound`` before the first chunk if absent."""

    def size(self, key: str) -> int:
        """The blob's size in bytes; raises ``BlobNotFound``."""

    def delete(self, key: str) -> None:
        """Remove a blob; removing an absent blob is not an error."""

    def exists(self, key: str) -> bool:
        """Whether a blob is stored under ``key``."""

    def presigned_url(self, key: str, expires_in: int, filename: str) -> str | None:
        """A URL the store itself serves until expiry, or ``None`` if it cannot."""

    def ping(self) -> None:
        """Raise ``StorageError`` unless the store is reachable and writable."""
