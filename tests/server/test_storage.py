"""The blob stores: the local folder and a real SeaweedFS, through one interface."""

from __future__ import annotations

import io
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from argent_marketplace.storage.errors import BlobNotFound, StorageError
from argent_marketplace.storage.factory import open_storage
from argent_marketplace.storage.interfaces import BlobStorage, blob_key
from argent_marketplace.storage.local import LocalBlobStorage
from tests.server.conftest import Market, s3_url


@pytest.fixture(params=["local", "s3"])
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> BlobStorage:
    if request.param == "local":
        return open_storage(None, tmp_path)
    request.getfixturevalue("s3_env")
    endpoint = request.getfixturevalue("s3_endpoint")
    return open_storage(s3_url(endpoint, tmp_path.name), tmp_path)


def test_put_read_delete(storage: BlobStorage) -> None:
    key = blob_key("ab" * 32)
    data = b"archive bytes " * 10_000
    assert not storage.exists(key)
    storage.put(key, io.BytesIO(data), len(data))
    assert storage.exists(key) and storage.size(key) == len(data)
    assert b"".join(storage.open_chunks(key, 4096)) == data
    storage.put(key, io.BytesIO(data), len(data))  # same key, same bytes: harmless
    storage.delete(key)
    storage.delete(key)  # absent: not an error
    assert not storage.exists(key)
    with pytest.raises(BlobNotFound):
        storage.open_chunks(key)
    with pytest.raises(BlobNotFound):
        storage.size(key)
    storage.ping()


def test_local_rejects_traversal_keys(tmp_path: Path) -> None:
    store = LocalBlobStorage(tmp_path / "blobs")
    for key in ("../x", "a/../../x", "", "a//b"):
        with pytest.raises(StorageError):
            store.put(key, io.BytesIO(b"x"), 1)
    assert not (tmp_path / "x").exists()


def test_local_short_source_leaves_nothing(tmp_path: Path) -> None:
    store = LocalBlobStorage(tmp_path / "blobs")
    key = blob_key("cd" * 32)
    with pytest.raises(StorageError):
        store.put(key, io.BytesIO(b"short"), 100)
    assert [p for p in (tmp_path / "blobs").rglob("*") if p.is_file()] == []


def test_unsupported_url(tmp_path: Path) -> None:
    with pytest.raises(StorageError) as info:
        open_storage("ftp://x", tmp_path)
    assert info.value.code == "unsupported-storage"


def test_s3_presigned_urls_are_bound(s3_env: None, s3_endpoint: str, tmp_path: Path) -> None:
    store = open_storage(s3_url(s3_endpoint, tmp_path.name), tmp_path)
    key = blob_key("ef" * 32)
    store.put(key, io.BytesIO(b"payload"), 7)
    url = store.presigned_url(key, 60, "x.argent-pkg")
    assert url is not None
    with urllib.request.urlopen(url) as response:
        assert response.read() == b"payload"
    tampered = url.replace(key, blob_key("ee" * 32))
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(tampered)
    info.value.close()
    assert info.value.code == 403


def test_s3_presigned_urls_expire(s3_env: None, s3_endpoint: str, tmp_path: Path) -> None:
    """The store enforces the link's expiry itself (SECURITY-CASES E1/E3, S3 mode)."""
    store = open_storage(s3_url(s3_endpoint, tmp_path.name), tmp_path)
    key = blob_key("ed" * 32)
    store.put(key, io.BytesIO(b"payload"), 7)
    url = store.presigned_url(key, 1, "x.argent-pkg")
    assert url is not None
    time.sleep(2.5)  # S3 expiry has a one-second grain
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(url)
    info.value.close()
    assert info.value.code == 403


def test_full_flow_on_postgres_and_seaweedfs(s3_market: Market) -> None:
    """The at-scale setup: publish, search, download the same bytes through S3."""
    market = s3_market
    token = market.register()
    archive = market.package(token)
    assert market.publish(token, archive).status_code == 201
    assert market.client.get("/api/v1/catalog", params={"q": "air"}).json()["total"] == 1
    info = market.client.get(
        "/api/v1/catalog/aos-airtable/download", params={"format": "json"}
    ).json()
    assert info["url"].startswith(market.services.storage.client.meta.endpoint_url)  # type: ignore[attr-defined]
    with urllib.request.urlopen(info["url"]) as response:
        assert response.read() == archive.read_bytes()
    assert market.client.get("/readyz").json()["storage"] == "ok"
