"""Choose a blob store from a URL: a folder by default, ``s3://BUCKET?endpoint=...`` at scale."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from argent_marketplace.storage.errors import StorageError
from argent_marketplace.storage.interfaces import BlobStorage
from argent_marketplace.storage.local import LocalBlobStorage
from argent_marketplace.storage.s3 import S3BlobStorage

__all__ = ["open_storage"]


def open_storage(url: str | None, data_dir: Path) -> BlobStorage:
    """The store for ``url``; ``None`` means the ``blobs/`` folder inside ``data_dir``.

    ``s3://BUCKET?endpoint=http://127.0.0.1:8333&region=us-east-1&prefix=pkgs/``;
    credentials come from ``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY`` (or the
    usual boto3 sources) and never appear in the URL.

    Raises:
        StorageError: An unsupported scheme or a malformed URL.
    """
    if not url:
        return LocalBlobStorage(data_dir / "blobs")
    parts = urlsplit(url)
    if parts.scheme == "file":
        return LocalBlobStorage(Path(parts.path))
    if parts.scheme == "s3" and parts.netloc:
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        return S3BlobStorage(
            parts.netloc,
            query.get("endpoint"),
            region=query.get("region", os.environ.get("AWS_REGION", "us-east-1")),
            prefix=query.get("prefix", ""),
        )
    raise StorageError(
        f"unsupported storage URL {url!r}",
        code="unsupported-storage",
        hint="use s3://BUCKET?endpoint=http://HOST:PORT or file:///PATH",
    )
