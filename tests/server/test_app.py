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
