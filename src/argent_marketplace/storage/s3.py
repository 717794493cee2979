"""Blobs in S3-compatible object storage (SeaweedFS, MinIO, AWS S3).

botocore errors are translated here into :mod:`storage.errors`; nothing above
this module knows about boto3. Every call has connect and read timeouts so a
slow store cannot exhaust the server's workers.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, BinaryIO, Protocol

from argent_marketplace.storage.errors import BlobNotFound, StorageError

__all__ = ["S3BlobStorage"]


class _Body(Protocol):
    """botocore's StreamingBody, as far as we use it."""

    def iter_chunks(self, chunk_size: int) -> Iterator[bytes]: ...

    def close(self) -> None: ...


class S3BlobStorage:
    """A :class:`~argent_marketplace.storage.interfaces.BlobStorage` on an S3 bucket."""

    def __init__(
        self,
        bucket: str,
        endpoint: str | None,
        *,
        region: str = "us-east-1",
        access_key: str | None = None,
        secret_key: str | None = None,
        prefix: str = "",
    ) -> None:
        try:
            import boto3  # noqa: PLC0415 - optional dependency, only for S3 mode
            from botocore.config import Config  # noqa: PLC0415
        except ImportError as exc:
            raise StorageError(
                "S3 storage needs boto3",
                code="missing-driver",
                hint="pip install 'argent-marketplace[s3]'",
            ) from exc
        self.bucket = bucket
        self.prefix = prefix
        # A session of its own: boto3's default session caches the first credentials it sees.
        self.client: Any = boto3.session.Session().client(
            "s3",
            endpoint_url=endpoint,
            region_name=region,
            aws_access_key_id=access_key,
            aws_secret_access_key=secret_key,
            config=Config(
                connect_timeout=5,
                read_timeout=30,
                retries={"max_attempts": 3},
                s3={"addressing_style": "path"},
                signature_version="s3v4",
            ),
        )

    def _key(self, key: str) -> str:
        return self.prefix + key

    def _translate(self, exc: Exception, key: str) -> StorageError:
        from botocore.exceptions import ClientError  # noqa: PLC0415

        if isinstance(exc, ClientError):
            code = exc.response.get("Error", {}).get("Code", "")
            if code in ("404", "NoSuchKey", "NotFound"):
                return BlobNotFound(f"blob {key} not found")
        return StorageError(f"object storage failed on {key}: {exc}")

    def put(self, key: str, source: BinaryIO, size: int) -> None:
        """Upload (multipart above 8 MB, handled by boto3)."""
        try:
            self.client.upload_fileobj(source, self.bucket, self._key(key))
        except Exception as exc:
            raise self._translate(exc, key) from exc

    def open_chunks(self, key: str, chunk_size: int = 65536) -> Iterator[bytes]:
        """GET the object and stream its body."""
        try:
            body = self.client.get_object(Bucket=self.bucket, Key=self._key(key))["Body"]
        except Exception as exc:
            raise self._translate(exc, key) from exc
        return self._iterate(body, chunk_size)

    @staticmethod
    def _iterate(body: _Body, chunk_size: int) -> Iterator[bytes]:
        try:
            yield from body.iter_chunks(chunk_size)
        finally:
            body.close()

    def size(self, key: str) -> int:
        """HEAD the object."""
        try:
            head = self.client.head_object(Bucket=self.bucket, Key=self._key(key))
        except Exception as exc:
            raise self._translate(exc, key) from exc
        return int(head["ContentLength"])

    def delete(self, key: str) -> None:
        """DELETE (idempotent in S3)."""
        try:
            self.client.delete_object(Bucket=self.bucket, Key=self._key(key))
        except Exception as exc:
            raise self._translate(exc, key) from exc

    def exists(self, key: str) -> bool:
        """HEAD, mapping 404 to False."""
        try:
            self.size(key)
        except BlobNotFound:
            return False
        return True

    def presigned_url(self, key: str, expires_in: int, filename: str) -> str | None:
        """A SigV4 presigned GET, bound to key and expiry by the store itself."""
        return str(
            self.client.generate_presigned_url(
                "get_object",
                Params={
                    "Bucket": self.bucket,
                    "Key": self._key(key),
                    "ResponseContentDisposition": f'attachment; filename="{filename}"',
                },
                ExpiresIn=expires_in,
            )
        )

    def ping(self) -> None:
        """HEAD the bucket."""
        try:
            self.client.head_bucket(Bucket=self.bucket)
        except Exception as exc:
            status = getattr(exc, "response", {}).get("ResponseMetadata", {}).get("HTTPStatusCode")
            if status == 404:
                raise StorageError(
                    f"bucket {self.bucket} does not exist",
                    hint="create it (the server does not): e.g. "
                    f"'aws s3 mb s3://{self.bucket} --endpoint-url ...'; see docs/server.md",
                ) from exc
            raise StorageError(f"bucket {self.bucket} is not reachable: {exc}") from exc
