"""Which answers shared caches may keep: the public catalog, and nothing else."""

from __future__ import annotations

from tests.server.conftest import Market

PUBLIC = "public, max-age=60"


def test_public_catalog_answers_may_be_cached(sqlite_market: Market) -> None:
    market = sqlite_market
    token = market.register()
    published = market.publish(token, market.package(token))
    assert published.status_code == 201 and published.json()["status"] == "published", (
        published.json()
    )
    for path in (
        "/api/v1/catalog",
        "/api/v1/catalog?q=air",
        "/api/v1/catalog/aos-airtable",
    ):
        response = market.client.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == PUBLIC, path


def test_everything_else_is_no_store(sqlite_market: Market) -> None:
    market = sqlite_market
    token = market.register()
    auth = {"Authorization": f"Bearer {token}"}
    assert market.publish(token, market.package(token)).headers["Cache-Control"] == "no-store"
    answers = [
        market.client.get("/api/v1/authors/me", headers=auth),
        market.client.get("/api/v1/authors/me/packages", headers=auth),
        market.client.get("/api/v1/tokens", headers=auth),
        market.client.get("/api/v1/catalog/licensed?key=nothing"),
        market.client.get("/api/v1/catalog/aos-airtable/keys"),  # pinning: revocations count
        market.client.get("/api/v1/catalog/aos-nothing"),  # errors too
        market.client.get("/api/v1/authors/me"),
        market.client.get("/healthz"),
    ]
    for response in answers:
        assert response.headers["Cache-Control"] == "no-store", response.request.url
    download = market.client.get("/api/v1/catalog/aos-airtable/download", follow_redirects=False)
    assert download.status_code == 302
    assert "no-store" in download.headers["Cache-Control"]
