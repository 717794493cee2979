"""Catalog search and details: the shapes existing clients parse, ranking, visibility."""

from __future__ import annotations

import pytest

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
    repeated = get("/api/v1/catalog", params=[("tags", "messaging"), ("tags", "chat")]).json()
    assert _names(repeated) == ["aos-slack"]
    assert get("/api/v1/catalog", params=[("tags", "chat"), ("tags", "weather")]).json() == {
        "items": [],
        "total": 0,
    }
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
    _publish(market, token, version="1.1.0", changelog=...)  # none given
    _publish(market, token, version="1.2.0", changelog="Adds record search")
    details = market.client.get("/api/v1/catalog/aos-airtable").json()
    assert details["latest"]["version"] == "1.2.0"
    assert details["latest"]["changelog"] == "Adds record search"
    # existing clients read a version here; the range is beside it
    assert details["latest"]["min_argent_version"] == "2026.3.0"
    assert details["latest"]["argentos_range"] == ">=2026.3.0"
    assert "record.search" in details["latest"]["tools"]
    assert details["latest"]["permissions"] == ["network"]
    assert details["version_count"] == 3
    assert [v["version"] for v in details["versions"]] == ["1.2.0", "1.1.0", "1.0.0"]
    assert details["scan"] == {"findings": 0, "by_severity": {}}
    assert market.client.get(f"/api/v1/catalog/{details['id']}").json()["name"] == "aos-airtable"
    # the changelog is always a string (existing clients print it); empty when none was given
    assert details["versions"][1]["changelog"] == ""


def test_lookups_ignore_case_and_separators(market: Market) -> None:
    """A name or id written another way means the same package, as PyPI's names do."""
    _seed(market)
    get = market.client.get
    package_id = get("/api/v1/catalog/aos-airtable").json()["id"]
    for ref in ("AOS-AIRTABLE", "Aos_Airtable", "aos.airtable", package_id.upper()):
        answer = get(f"/api/v1/catalog/{ref}")
        assert answer.status_code == 200, (ref, answer.text)
        assert answer.json()["name"] == "aos-airtable"
        download = get(f"/api/v1/catalog/{ref}/download", follow_redirects=False)
        assert download.status_code == 302 and market.fetch(download.headers["location"]).content
    for ref in ("airtable", "aos--airtable-x", f"urn:uuid:{package_id}"):
        assert get(f"/api/v1/catalog/{ref}").status_code == 404, ref


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
    # a held package reads like a name nobody has, whatever is asked about it
    for path in ("", "/keys", "/download", "/download?version=1.0.0"):
        held = market.client.get(f"/api/v1/catalog/aos-airtable{path}")
        unknown = market.client.get(f"/api/v1/catalog/aos-nobody{path}")
        assert held.status_code == 404 and held.text == unknown.text.replace(
            "aos-nobody", "aos-airtable"
        ), path


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


def _download(market: Market, name: str, times: int) -> None:
    for _ in range(times):
        response = market.client.get(f"/api/v1/catalog/{name}/download", params={"format": "json"})
        assert response.status_code == 200, response.text


def _pages(market: Market, limit: int, **params: object) -> list[str]:
    names: list[str] = []
    for offset in range(0, 40, limit):
        body = market.client.get(
            "/api/v1/catalog", params={**params, "limit": limit, "offset": offset}
        ).json()
        names += _names(body)
    return names


def _small_window(monkeypatch: pytest.MonkeyPatch, size: int) -> None:
    from argent_marketplace.catalog import services

    monkeypatch.setattr(services, "RANK_WINDOW", size)
    monkeypatch.setattr(services, "COUNT_CAP", size)


def _ledgers(market: Market) -> None:
    """Six packages matching 'ledger': the strongest match is the least downloaded."""
    token = market.register()
    _publish(
        market,
        token,
        name="aos-ledger-sync",
        display_name="Ledger Sync",
        description="Ledger entries, ledger accounts and ledger reports",
        tags=["ledger"],
    )
    for name, downloads in [("bravo", 6), ("charlie", 5), ("delta", 4), ("echo", 3), ("fox", 2)]:
        strong = name == "delta"  # the best text match among the most downloaded
        _publish(
            market,
            token,
            name=f"aos-{name}",
            display_name="Delta Ledger" if strong else name.title(),
            description=f"{name.title()} entries with a ledger export",
            tags=["books"] if downloads > 3 else ["journal"],
        )
        _download(market, f"aos-{name}", downloads)


def test_relevance_ranks_the_most_downloaded_matches(
    market: Market, monkeypatch: pytest.MonkeyPatch
) -> None:
    _ledgers(market)
    get = market.client.get
    # Every match competes when there are fewer than the window: the name match wins.
    assert _names(get("/api/v1/catalog", params={"q": "ledger"}).json())[0] == "aos-ledger-sync"
    _small_window(monkeypatch, 3)
    body = get("/api/v1/catalog", params={"q": "ledger"}).json()
    # The 3 most downloaded matches by relevance, then the others by downloads.
    expected = ["aos-delta", "aos-bravo", "aos-charlie", "aos-echo", "aos-fox", "aos-ledger-sync"]
    assert _names(body) == expected
    assert body["total"] == 3 and body["total_is_lower_bound"] is True
    assert _pages(market, 2, q="ledger") == expected  # pages add up: no gap, no repeat
    by_downloads = ["aos-bravo", "aos-charlie", "aos-delta", "aos-echo", "aos-fox"]
    assert _names(get("/api/v1/catalog", params={"q": "ledger", "sort": "downloads"}).json()) == [
        *by_downloads,
        "aos-ledger-sync",
    ]
    assert _pages(market, 4, q="ledger", sort="downloads") == [*by_downloads, "aos-ledger-sync"]
    narrow = get("/api/v1/catalog", params={"q": "ledger books"}).json()
    assert narrow["total"] == 3 and "total_is_lower_bound" not in narrow  # exactly 3 matches
    assert _names(narrow) == ["aos-delta", "aos-bravo", "aos-charlie"]
    far = get("/api/v1/catalog", params={"q": "ledger", "offset": 50}).json()
    assert far["items"] == [] and far["total"] == 3 and far["total_is_lower_bound"] is True


def test_exact_name_first_even_outside_the_window(
    market: Market, monkeypatch: pytest.MonkeyPatch
) -> None:
    _ledgers(market)
    token = next(iter(market.authors))
    _publish(market, token, name="aos-ledger", description="Bookkeeping", tags=["ledger"])
    _small_window(monkeypatch, 2)
    for q in ("ledger", "aos-ledger", "Ledger "):
        body = market.client.get("/api/v1/catalog", params={"q": q}).json()
        assert _names(body)[0] == "aos-ledger", q  # no downloads, weak text: still first
        assert len(set(_names(body))) == len(_names(body))
    assert _pages(market, 3, q="ledger")[0] == "aos-ledger"
    assert sorted(_pages(market, 3, q="ledger")) == sorted(
        ["aos-ledger", "aos-ledger-sync", "aos-bravo", "aos-charlie", "aos-delta", "aos-echo",
         "aos-fox"]
    )  # fmt: skip


def _act(market: Market, version_id: str, action: str) -> None:
    response = market.client.post(
        f"/api/v1/admin/versions/{version_id}/{action}",
        headers={"Authorization": f"Bearer {market.admin_token()}"},
        json={"reason": "test"},
    )
    assert response.status_code == 200, response.text


def _list(market: Market, name: str, listed: bool) -> None:
    response = market.client.post(
        f"/api/v1/admin/packages/{name}/listing",
        headers={"Authorization": f"Bearer {market.admin_token()}"},
        json={"listed": listed},
    )
    assert response.status_code == 200, response.text


def _check_counts(market: Market, expected: dict[str, int]) -> None:
    """Totals and facets (kept in catalog_counts) agree with the items actually shown."""
    get = market.client.get
    body = get("/api/v1/catalog", params={"limit": 100, "facets": "true"}).json()
    items = body["items"]
    assert body["total"] == len(items) == sum(expected.values())
    assert body["facets"]["category"] == {c: n for c, n in expected.items() if n}
    pricing: dict[str, int] = {}
    for item in items:
        pricing[item["pricing"]] = pricing.get(item["pricing"], 0) + 1
    assert body["facets"]["pricing"] == pricing
    for category, n in expected.items():
        shown = get("/api/v1/catalog", params={"category": category, "limit": 100}).json()
        assert shown["total"] == len(shown["items"]) == n, category
    for model, n in pricing.items():
        assert get("/api/v1/catalog", params={"pricing": model}).json()["total"] == n


def test_counts_follow_publish_moderation_and_listing(market: Market) -> None:
    token = _seed(market)  # connectors: airtable, air-quality, notion (pro); plugins: slack
    _check_counts(market, {"connectors": 3, "plugins": 1})
    moved = _publish(market, token, name="aos-slack", version="1.1.0", category="skills")
    _check_counts(market, {"connectors": 3, "plugins": 0, "skills": 1})
    _act(market, moved["id"], "yank")  # latest falls back to 1.0.0, a plugin again
    _check_counts(market, {"connectors": 3, "plugins": 1, "skills": 0})
    _act(market, moved["id"], "unyank")
    _check_counts(market, {"connectors": 3, "plugins": 0, "skills": 1})
    _list(market, "aos-notion", False)
    _check_counts(market, {"connectors": 2, "skills": 1})
    _list(market, "aos-notion", False)  # twice: still counted once
    _list(market, "aos-notion", True)
    _check_counts(market, {"connectors": 3, "skills": 1})
    first = _publish(market, token, name="aos-zoom", description="Meetings")
    _check_counts(market, {"connectors": 4, "skills": 1})
    _act(market, first["id"], "remove")  # its only version: the package disappears
    _check_counts(market, {"connectors": 3, "skills": 1})
    evil = market.package(token, name="aos-evil", files={"agent-harness/x.py": b"eval(a)\n"})
    assert market.publish(token, evil).json()["status"] == "pending_review"
    _check_counts(market, {"connectors": 3, "skills": 1})  # not published: not counted
    if market.services.engine.dialect.name == "sqlite":
        assert market.row_count("package_search") == 4  # one index row per visible package


def test_popularity_buckets_keep_the_downloads_order() -> None:
    from argent_marketplace.catalog.search import popularity_bucket, search_rowid

    buckets = [popularity_bucket(d) for d in range(5000)]
    assert buckets == sorted(buckets)  # more downloads never a lower bucket
    assert [popularity_bucket(d) for d in (0, 1, 2, 3, 7, 9, 11, 13, 15)] == [
        0, 4, 6, 8, 12, 13, 14, 15, 16,
    ]  # fmt: skip
    assert popularity_bucket(2**63 - 2) == 251  # the largest BigInteger count
    top = search_rowid(popularity_bucket(2**63 - 2), 2**55 - 1)
    assert 0 < search_rowid(0, 1) < search_rowid(1, 1) < top < 2**63  # a positive int64


def test_admin_recount_repairs_totals_edited_by_hand(sqlite_market: Market) -> None:
    from click.testing import CliRunner
    from sqlalchemy import text

    from argent_marketplace.server.cli import cli as server_cli

    market = sqlite_market
    _seed(market)
    with market.services.engine.begin() as conn:
        conn.execute(text("UPDATE catalog_counts SET packages = 0"))
    assert market.client.get("/api/v1/catalog").json()["total"] == 0
    data_dir = str(market.workdir / "data")
    result = CliRunner().invoke(server_cli, ["admin", "recount", "--data-dir", data_dir])
    assert result.exit_code == 0, result.output
    assert market.client.get("/api/v1/catalog").json()["total"] == 4
    assert market.client.get("/api/v1/catalog", params={"category": "plugins"}).json()["total"] == 1
