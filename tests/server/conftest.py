"""A real marketplace per test, on SQLite or PostgreSQL, with local or S3 blob storage."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import text

from argent_marketplace.accounts.services import create_token
from argent_marketplace.db.metadata import metadata
from argent_marketplace.package.signing import generate_private_key, public_key_b64
from argent_marketplace.package.writer import pack_folder
from argent_marketplace.server.app import create_app
from argent_marketplace.server.services import Services
from argent_marketplace.server.settings import Settings
from argent_marketplace.storage.s3 import S3BlobStorage
from tests.conftest import make_connector
from tests.support.services import (
    S3_BUCKET,
)


class Clock:
    """A clock tests can move; the server reads it for every decision."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def s3_url(endpoint: str, prefix: str) -> str:
    return f"s3://{S3_BUCKET}?endpoint={endpoint}&prefix={prefix}/"


def _reset_postgres(url: str) -> None:
    from argent_marketplace.db.engine import make_engine
    from argent_marketplace.db.migrate import upgrade

    engine = make_engine(url)
    upgrade(engine)
    names = ", ".join(t.name for t in metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} CASCADE"))
    engine.dispose()


@dataclass
class Market:
    """A running marketplace (in-process ASGI) plus helpers that act as its users."""

    client: TestClient
    services: Services
    clock: Clock
    workdir: Path
    authors: dict[str, tuple[str, Ed25519PrivateKey]] = field(default_factory=dict)

    def register(self, name: str = "Jane Author", key: Ed25519PrivateKey | None = None) -> str:
        key = key or generate_private_key()
        response = self.client.post(
            "/api/v1/authors",
            json={
                "name": name,
                "email": f"{name.split(maxsplit=1)[0].lower()}@example.com",
                "public_key": public_key_b64(key),
            },
        )
        assert response.status_code == 201, response.text
        token = str(response.json()["token"])
        self.authors[token] = (response.json()["id"], key)
        return token

    def key_of(self, token: str) -> Ed25519PrivateKey:
        return self.authors[token][1]

    def package(
        self,
        token: str,
        *,
        key: Ed25519PrivateKey | None = None,
        files: dict[str, bytes] | None = None,
        **manifest: Any,
    ) -> Path:
        """Pack the example connector with manifest overrides, signed by the author's key."""
        key = key or self.key_of(token)
        n = len(list(self.workdir.glob("c*")))
        folder = make_connector(self.workdir / f"c{n}", key, **manifest)
        for rel, data in (files or {}).items():
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            (folder / rel).write_bytes(data)
        if "version" in manifest:
            import json

            connector = folder / "connector.json"
            doc = json.loads(connector.read_text())
            doc.pop("version", None)
            connector.write_text(json.dumps(doc))
        out = self.workdir / f"c{n}.argent-pkg"
        pack_folder(folder, out, key)
        return out

    def publish(self, token: str | None, archive: Path | bytes, **form: str) -> Response:
        data = archive.read_bytes() if isinstance(archive, Path) else archive
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return self.client.post(
            "/api/v1/publish",
            headers=headers,
            data=form,
            files={"package": ("pkg.argent-pkg", data)},
        )

    @property
    def local_urls(self) -> bool:
        """Whether downloads are served by the app (HMAC URLs) rather than presigned by S3."""
        return not isinstance(self.services.storage, S3BlobStorage)

    def fetch(self, url: str) -> Response:
        """GET an absolute URL: through the app, or over loopback HTTP to the object store."""
        if url.startswith("http://testserver"):
            return self.client.get(url)
        return httpx.get(url, timeout=10)

    def download(self, ref: str = "aos-airtable", **params: str) -> Response:
        """What a client gets for ``/download``: the archive when the redirect is followed."""
        response = self.client.get(
            f"/api/v1/catalog/{ref}/download", params=params, follow_redirects=False
        )
        if response.status_code != 302:
            return response
        return self.fetch(response.headers["location"])

    def admin_token(self) -> str:
        with self.services.engine.begin() as conn:
            return create_token(
                conn, None, ("admin",), "test", secret=self.services.keys.tokens, now=self.clock()
            )

    def blob_count(self) -> int:
        """Blobs in the store, whichever kind it is."""
        storage = self.services.storage
        if isinstance(storage, S3BlobStorage):
            listing = storage.client.list_objects_v2(Bucket=storage.bucket, Prefix=storage.prefix)
            return int(listing.get("KeyCount", 0))
        root = self.workdir / "data" / "blobs"
        return len([p for p in root.rglob("*") if p.is_file()]) if root.exists() else 0

    def row_count(self, table: str) -> int:
        with self.services.engine.connect() as conn:
            return int(conn.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one())


def _market(tmp_path: Path, database_url: str | None, storage_url: str | None) -> Iterator[Market]:
    clock = Clock()
    settings = Settings(
        data_dir=tmp_path / "data", database_url=database_url, storage_url=storage_url
    )
    app = create_app(settings, clock=clock)
    with TestClient(app) as client:
        yield Market(client, app.state.services, clock, tmp_path)
    app.state.services.engine.dispose()


@pytest.fixture(params=["sqlite", "postgres", "postgres+s3"])
def market(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Market]:
    """The marketplace on the embedded default, on PostgreSQL, and on PostgreSQL + SeaweedFS."""
    url = storage = None
    if request.param.startswith("postgres"):
        url = request.getfixturevalue("pg_url")
        _reset_postgres(url)
    if request.param.endswith("+s3"):
        request.getfixturevalue("s3_env")
        storage = s3_url(request.getfixturevalue("s3_endpoint"), tmp_path.name)
    yield from _market(tmp_path, url, storage)


@pytest.fixture(params=["sqlite", "postgres"])
def local_market(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Market]:
    """Each database backend with the local blob store (URLs signed by the app itself)."""
    url = None
    if request.param == "postgres":
        url = request.getfixturevalue("pg_url")
        _reset_postgres(url)
    yield from _market(tmp_path, url, None)


@pytest.fixture
def sqlite_market(tmp_path: Path) -> Iterator[Market]:
    """The embedded default only (for tests about local files)."""
    yield from _market(tmp_path, None, None)


@pytest.fixture
def s3_market(tmp_path: Path, request: pytest.FixtureRequest, s3_env: None) -> Iterator[Market]:
    """PostgreSQL + SeaweedFS: the at-scale setup."""
    url = request.getfixturevalue("pg_url")
    _reset_postgres(url)
    endpoint = request.getfixturevalue("s3_endpoint")
    yield from _market(tmp_path, url, s3_url(endpoint, tmp_path.name))
