"""Signed download URLs: same bytes, expiry, tampering, counting, paid and removed packages.

On the local store the app signs and serves URLs itself (HMAC, the server's clock);
on S3 the store presigns them. Tests of the HMAC details use ``local_market``; the
S3 equivalent (an altered presigned URL gets 403) is in test_storage.py.
"""

from __future__ import annotations

import hashlib
from urllib.parse import parse_qs, urlsplit, urlunsplit

from tests.server.conftest import Market


def _published(market: Market, **manifest: object) -> tuple[str, bytes]:
    token = market.register()
    archive = market.package(token, **manifest)
    response = market.publish(token, archive)
    assert response.status_code == 201, response.text
    return token, archive.read_bytes()


def test_redirect_then_same_bytes(market: Market) -> None:
    _, original = _published(market)
    redirect = market.client.get(
        "/api/v1/catalog/aos-airtable/download",
        follow_redirects=False,
        headers={"Accept": "application/json"},
    )
    assert redirect.status_code == 302  # existing clients send Accept: application/json too
    blob = market.fetch(redirect.headers["location"])
    assert blob.status_code == 200 and blob.content == original
    assert blob.headers["content-length"] == str(len(original))
    assert 'filename="aos-airtable-1.0.0.argent-pkg"' in blob.headers["content-disposition"]
    if market.local_urls:
        assert blob.headers["etag"].strip('"') == hashlib.sha256(original).hexdigest()


def test_json_answer_and_one_count_per_download(market: Market) -> None:
    _, original = _published(market)
    info = market.client.get(
        "/api/v1/catalog/aos-airtable/download", params={"format": "json"}
    ).json()
    assert set(info) >= {"url", "sha256", "size", "version", "expires_at"}
    assert info["size"] == len(original) and info["version"] == "1.0.0"
    assert info["sha256"] == hashlib.sha256(original).hexdigest()
    assert market.fetch(info["url"]).content == original
    assert market.download().content == original
    details = market.client.get("/api/v1/catalog/aos-airtable").json()
    assert details["total_downloads"] == 2


def test_expired_and_altered_urls_are_403(local_market: Market) -> None:
    market = local_market
    _published(market)
    url = market.client.get(
        "/api/v1/catalog/aos-airtable/download", params={"format": "json"}
    ).json()["url"]
    parts = urlsplit(url)
    query = parse_qs(parts.query)

    def with_query(**changes: str) -> str:
        q = {k: v[0] for k, v in query.items()} | changes
        return urlunsplit(parts._replace(query="&".join(f"{k}={v}" for k, v in q.items())))

    later = str(int(query["expires"][0]) + 3600)
    for bad in (
        with_query(expires=later),
        with_query(sig="0" * 64),
        url.replace(parts.path.split("/")[4], "00000000-0000-0000-0000-000000000000"),
    ):
        response = market.client.get(bad)
        assert response.status_code == 403, bad
        assert response.json()["error"]["code"] == "bad-signature"
    market.clock.advance(seconds=301)
    expired = market.client.get(url)
    assert expired.status_code == 403 and expired.json()["error"]["code"] == "url-expired"


def test_url_for_one_package_does_not_open_another(local_market: Market) -> None:
    market = local_market
    token, _ = _published(market)
    other = market.package(token, name="aos-other")
    assert market.publish(token, other).status_code == 201
    a = market.client.get("/api/v1/catalog/aos-airtable/download", params={"format": "json"})
    b = market.client.get("/api/v1/catalog/aos-other/download", params={"format": "json"})
    a_parts, b_parts = urlsplit(a.json()["url"]), urlsplit(b.json()["url"])
    swapped = urlunsplit(a_parts._replace(query=b_parts.query))
    assert market.client.get(swapped).status_code == 403


def test_exact_versions_and_unknown_ones(market: Market) -> None:
    token, first = _published(market)
    second = market.package(token, version="1.1.0")
    assert market.publish(token, second).status_code == 201
    assert market.download(version="1.0.0").content == first
    assert market.download().content == second.read_bytes()
    assert market.download(version="9.9.9").status_code == 404
    assert market.download("aos-none").status_code == 404


def test_paid_packages_need_a_license(market: Market) -> None:
    _published(market, pricing="pro", price_cents=1900)
    response = market.client.get("/api/v1/catalog/aos-airtable/download")
    assert response.status_code == 402
    error = response.json()["error"]
    assert error["code"] == "license-required" and "license" in error["message"]
    assert error["details"] == {"pricing": "pro", "price_cents": 1900, "reason": "license-required"}
