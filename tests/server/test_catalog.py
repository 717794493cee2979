"""Catalog search and details: the shapes existing clients parse, ranking, visibility."""

from __future__ import annotations

from tests.server.conftest import Market

ITEM_FIELDS = {
    "id", "name", "display_name", "description", "category", "tags", "author_name",
    "author_verified", "latest_version", "total_downloads", "rating", "rating_count",
    "pricing", "updated_at", "listed",
}  # fmt: skip


def _publish(market: Market, token: str, **manifest: object) -> dict:
    response = market.publish(token, market.package(token, **manifest))
    assert response.status_code == 201, response.text
    return dict(response.json())


def _seed(market: Market) -> str:
    token = market.register()
    _publish(market, token)  # aos-airtable
    _publish(
        market,
        token,
        name="aos-air-quality",
        display_name="Air Quality",
        description="Air quality readings from public stations",
        tags=["weather"],
    )
    _publish(
        market,
        token,
        name="aos-slack",
        display_name="Slack",
        description="Post messages and read channels",
        tags=["messaging", "chat"],
        category="plugins",
    )
    _publish(
        market,
        token,
        name="aos-notion",
        display_name="Notion",
        description="Pages and databases; pairs well with airtable imports",
        tags=["notes"],
        pricing="pro",
        price_cents=900,
    )
    return token


def _names(body: dict) -> list[str]:
    return [item["name"] for item in body["items"]]


def test_prefix_search_and_exact_name_first(market: Market) -> None:
    _seed(market)
    get = market.client.get
    air = get("/api/v1/catalog", params={"q": "air"}).json()
    assert set(_names(air)) == {"aos-airtable", "aos-air-quality", "aos-notion"}
    assert air["total"] == 3
    exact = get("/api/v1/catalog", params={"q": "aos-airtable"}).json()
    assert _names(exact)[0] == "aos-airtable"
    short = get("/api/v1/catalog", params={"q": "airtable"}).json()
    assert _names(short)[0] == "aos-airtable"  # 'airtable' == name without 'aos-'
    assert _names(get("/api/v1/catalog", params={"q": "station"}).json()) == ["aos-air-quality"]
    assert get("/api/v1/catalog", params={"q": "zzzz"}).json() == {"items": [], "total": 0}


def test_item_shape_matches_existing_clients(market: Market) -> None:
    _seed(market)
    body = market.client.get("/api/v1/catalog").json()
    assert set(body) >= {"items", "total"}
    for item in body["items"]:
        assert set(item) >= ITEM_FIELDS
        assert isinstance(item["tags"], list) and isinstance(item["author_verified"], bool)
        assert item["updated_at"].endswith("Z")


def test_filters_sorting_and_paging(market: Market) -> None:
    _seed(market)
    get = market.client.get
    assert _names(get("/api/v1/catalog", params={"category": "plugins"}).json()) == ["aos-slack"]
    assert _names(get("/api/v1/catalog", params={"tags": "messaging,chat"}).json()) == ["aos-slack"]
    assert _names(get("/api/v1/catalog", params={"pricing": "pro"}).json()) == ["aos-notion"]
    by_name = get("/api/v1/catalog", params={"sort": "name"}).json()
    assert _names(by_name) == sorted(_names(by_name))
    page = get("/api/v1/catalog", params={"sort": "name", "limit": 2, "offset": 1}).json()
    assert _names(page) == _names(by_name)[1:3] and page["total"] == 4
    assert get("/api/v1/catalog", params={"sort": "random"}).status_code == 400


def test_hostile_queries_are_plain_text(market: Market) -> None:
    _seed(market)
    for q in ['air"', "air*", "NEAR(", "air OR 1=1", "'; DROP TABLE packages; --", "a:*|b", "\\"]:
        response = market.client.get("/api/v1/catalog", params={"q": q})
        assert response.status_code == 200, (q, response.text)
    assert market.row_count("packages") == 4


def test_details_by_name_and_id(market: Market) -> None:
    token = _seed(market)
    _publish(market, token, version="1.2.0", changelog="Adds record search")
    details = market.client.get("/api/v1/catalog/aos-airtable").json()
    assert details["latest"]["version"] == "1.2.0"
    assert details["latest"]["changelog"] == "Adds record search"
    assert details["latest"]["min_argent_version"] == ">=2026.3.0"
    assert "record.search" in details["latest"]["tools"]
    assert details["latest"]["permissions"] == ["network"]
    assert details["version_count"] == 2
    assert [v["version"] for v in details["versions"]] == ["1.2.0", "1.0.0"]
    assert details["scan"] == {"findings": 0, "by_severity": {}}
    assert market.client.get(f"/api/v1/catalog/{details['id']}").json()["name"] == "aos-airtable"


def test_latest_is_highest_semver_not_newest_upload(market: Market) -> None:
    token = market.register()
    for version in ("1.1.0", "1.0.5", "2.0.0-rc.1"):
        _publish(market, token, version=version)
    details = market.client.get("/api/v1/catalog/aos-airtable").json()
    assert details["latest_version"] == "1.1.0"  # no prerelease as latest while releases exist
    assert [v["version"] for v in details["versions"]] == ["2.0.0-rc.1", "1.1.0", "1.0.5"]


def test_unpublished_packages_are_invisible(market: Market) -> None:
    token = market.register()
    evil = market.package(token, files={"agent-harness/x.py": b"exec(input())\n"})
    assert market.publish(token, evil).json()["status"] == "pending_review"
    assert market.client.get("/api/v1/catalog", params={"q": "air"}).json()["total"] == 0
    assert market.client.get("/api/v1/catalog/aos-airtable").status_code == 404


def test_author_sees_all_own_versions(market: Market) -> None:
    token = market.register()
    _publish(market, token)
    evil = market.package(token, version="1.0.1", files={"agent-harness/x.py": b"eval(a)\n"})
    market.publish(token, evil)
    mine = market.client.get(
        "/api/v1/authors/me/packages", headers={"Authorization": f"Bearer {token}"}
    ).json()["items"]
    statuses = {v["version"]: v["status"] for v in mine[0]["versions"]}
    assert statuses == {"1.0.0": "published", "1.0.1": "pending_review"}
    pending = next(v for v in mine[0]["versions"] if v["version"] == "1.0.1")
    assert pending["findings"][0]["rule"] == "dynamic-code"


def test_every_reference_connector_publishes_and_is_found(market: Market) -> None:
    from argent_marketplace.package.writer import pack_folder
    from tests.support.connectors import build_reference_connector, reference_names

    token = market.register()
    key = market.key_of(token)
    names = reference_names()
    assert len(names) == 7
    for name in names:
        folder = build_reference_connector(name, market.workdir / name, key)
        archive = market.workdir / f"{name}.argent-pkg"
        pack_folder(folder, archive, key)
        response = market.publish(token, archive)
        assert response.status_code == 201, response.text
        assert response.json()["status"] == "published", response.json()["findings"]
    everything = market.client.get("/api/v1/catalog", params={"limit": 50}).json()
    assert sorted(_names(everything)) == names
    github = market.client.get("/api/v1/catalog", params={"q": "git"}).json()
    assert _names(github)[0] == "aos-github"
    details = market.client.get("/api/v1/catalog/aos-stripe").json()
    assert "balance.get" in details["latest"]["tools"]


def test_facet_counts(market: Market) -> None:
    _seed(market)
    plain = market.client.get("/api/v1/catalog").json()
    assert "facets" not in plain
    body = market.client.get("/api/v1/catalog", params={"q": "air", "facets": "true"}).json()
    assert body["facets"] == {"category": {"connectors": 3}, "pricing": {"free": 2, "pro": 1}}
