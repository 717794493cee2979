"""The server skeleton: app factory and health endpoints on the embedded default."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from argent_marketplace.server.app import create_app
from argent_marketplace.server.settings import Settings


def test_health_endpoints_and_data_dir(tmp_path: Path) -> None:
    data = tmp_path / "data"
    client = TestClient(create_app(Settings(data_dir=data)))
    assert data.is_dir()
    assert client.get("/healthz").json()["status"] == "ok"
    assert client.get("/readyz").json() == {"status": "ok", "data_dir": True}
    assert client.get("/openapi.json").status_code == 200
