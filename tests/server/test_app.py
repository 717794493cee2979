"""App factory, health endpoints, OpenAPI and the one error envelope."""

from __future__ import annotations

from tests.server.conftest import Market


def test_health_and_docs(market: Market) -> None:
    client = market.client
    assert client.get("/healthz").json()["status"] == "ok"
    assert client.get("/readyz").json() == {"status": "ok", "database": "ok", "storage": "ok"}
    spec = client.get("/openapi.json").json()
    assert "/api/v1/publish" in spec["paths"] and "/api/v1/catalog" in spec["paths"]
    assert client.get("/docs").status_code == 200
    index = client.get("/").json()  # someone opening the address in a browser or with curl
    assert index["docs"] == "/docs" and index["api"] == "/api/v1"
    assert client.get(index["openapi"]).status_code == 200


def test_error_envelope_everywhere(market: Market) -> None:
    client = market.client
    for response, status, code in (
        (client.get("/no/such/route"), 404, "not-found"),
        (client.get("/api/v1/catalog", params={"limit": 1000}), 400, "invalid-request"),
        (client.get("/api/v1/catalog/aos-nothing"), 404, "not-found"),
        (client.post("/api/v1/authors", json={"name": "x"}), 400, "invalid-request"),
        (client.get("/api/v1/authors/me"), 401, "unauthenticated"),
    ):
        assert response.status_code == status, response.text
        error = response.json()["error"]
        assert error["code"] == code
        assert isinstance(error["message"], str) and error["message"]
        assert isinstance(error["details"], dict)
    problem = client.get("/api/v1/catalog", params={"limit": 1000}).json()["error"]
    assert problem["message"].startswith("query.limit: ")


def test_data_dir_is_created_with_database_and_blobs(sqlite_market: Market) -> None:
    data = sqlite_market.workdir / "data"
    assert (data / "marketplace.sqlite3").is_file()
    assert (data / "blobs").is_dir()


def test_readyz_reports_an_unreachable_store(tmp_path, monkeypatch) -> None:
    from fastapi.testclient import TestClient

    from argent_marketplace.server.app import create_app
    from argent_marketplace.server.settings import Settings
    from tests.support.services import free_port

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "x")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "y")
    closed = f"s3://nothing?endpoint=http://127.0.0.1:{free_port()}"
    app = create_app(Settings(data_dir=tmp_path / "d", storage_url=closed))
    with TestClient(app) as client:
        response = client.get("/readyz")
        assert response.status_code == 503
        body = response.json()
        assert body["database"] == "ok" and body["storage"].startswith("unavailable")


def test_readyz_names_a_missing_bucket(tmp_path, s3_endpoint, s3_env) -> None:
    """A real SeaweedFS without the bucket: say so, and that the operator creates it."""
    from fastapi.testclient import TestClient

    from argent_marketplace.server.app import create_app
    from argent_marketplace.server.settings import Settings

    missing = f"s3://no-such-bucket?endpoint={s3_endpoint}"
    app = create_app(Settings(data_dir=tmp_path / "d", storage_url=missing))
    with TestClient(app) as client:
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["storage"].startswith(
        "unavailable: bucket no-such-bucket does not exist (create it (the server does not)"
    )
