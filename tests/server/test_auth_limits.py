"""Per-address limits on bad tokens and on registrations (SECURITY-CASES G3)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import text

from argent_marketplace.package.signing import generate_private_key, public_key_b64
from tests.server.conftest import Market

LIMIT = 20  # Settings.auth_failures_per_address
REGISTRATIONS = 10  # Settings.registrations_per_address


def _me(client: TestClient, token: str | None) -> int:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.get("/api/v1/authors/me", headers=headers).status_code


def test_bad_tokens_are_limited_per_address(market: Market) -> None:
    token = market.register()
    for n in range(LIMIT):
        assert _me(market.client, f"guess-{n}") == 401
    over = market.client.get("/api/v1/authors/me", headers={"Authorization": "Bearer guess-x"})
    assert over.status_code == 429
    assert over.json()["error"]["code"] == "too-many-bad-tokens"
    assert 0 < int(over.headers["Retry-After"]) <= 300
    # A valid token still works: nobody sharing the address can lock its authors out.
    assert _me(market.client, token) == 200
    # Another address is not concerned.
    with TestClient(market.client.app, client=("203.0.113.7", 4000)) as other:
        assert _me(other, "guess-y") == 401
    market.clock.advance(minutes=5)
    assert _me(market.client, "guess-z") == 401


def test_an_ipv6_client_counts_as_its_64(market: Market) -> None:
    """Rotating addresses inside one /64 (which one host usually has) does not help."""
    for n in range(LIMIT):
        with TestClient(market.client.app, client=(f"2001:db8:1:2::{n + 1:x}", 4000)) as c:
            assert _me(c, f"guess-{n}") == 401
    with TestClient(market.client.app, client=("2001:db8:1:2:ffff::1", 4000)) as same:
        assert _me(same, "guess-x") == 429
    with TestClient(market.client.app, client=("2001:db8:1:3::1", 4000)) as other:
        assert _me(other, "guess-x") == 401


def test_over_the_limit_a_bad_token_costs_no_write(market: Market) -> None:
    for n in range(LIMIT + 6):
        assert _me(market.client, f"guess-{n}") in (401, 429)
    with market.services.engine.connect() as conn:
        count = conn.execute(
            text("SELECT count FROM rate_limits WHERE bucket LIKE 'auth-fail:%'")
        ).scalar_one()
    assert count == LIMIT  # the refusals past the limit wrote nothing


def test_ipv4_clients_behind_nat64_count_as_themselves(market: Market) -> None:
    for n in range(LIMIT):
        with TestClient(market.client.app, client=("64:ff9b::c000:201", 4000)) as c:
            assert _me(c, f"guess-{n}") == 401
    with TestClient(market.client.app, client=("192.0.2.1", 4000)) as same:
        assert _me(same, "guess-x") == 429  # 64:ff9b::c000:201 is 192.0.2.1
    with TestClient(market.client.app, client=("64:ff9b::c000:202", 4000)) as other:
        assert _me(other, "guess-x") == 401


def test_valid_tokens_and_missing_ones_do_not_count(market: Market) -> None:
    token = market.register()
    for _ in range(LIMIT + 5):
        assert _me(market.client, None) == 401
        assert _me(market.client, token) == 200
    assert _me(market.client, "one-bad-guess") == 401


def test_a_revoked_token_counts_as_a_bad_one(market: Market) -> None:
    token = market.register()
    listed = market.client.get("/api/v1/tokens", headers={"Authorization": f"Bearer {token}"})
    token_id = listed.json()["items"][0]["id"]
    revoked = market.client.delete(
        f"/api/v1/tokens/{token_id}", headers={"Authorization": f"Bearer {token}"}
    )
    assert revoked.status_code == 204, revoked.text
    for _ in range(LIMIT):
        assert _me(market.client, token) == 401
    assert _me(market.client, token) == 429
    assert _me(market.client, market.register("Second Author")) == 200


def test_registrations_are_limited_per_address(market: Market) -> None:
    for n in range(REGISTRATIONS):
        market.register(f"Author {n}")
    response = market.client.post(
        "/api/v1/authors",
        json={
            "name": "One Too Many",
            "email": "many@example.com",
            "public_key": public_key_b64(generate_private_key()),
        },
    )
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "too-many-registrations"
    assert "Retry-After" in response.headers
    market.clock.advance(hours=1)
    market.register("Next Hour Author")
