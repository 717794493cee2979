"""Authors, keys and tokens through the HTTP API."""

from __future__ import annotations

from sqlalchemy import text

from argent_marketplace.package.signing import generate_private_key, public_key_b64
from tests.server.conftest import Market


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_register_and_me(market: Market) -> None:
    key = generate_private_key()
    response = market.client.post(
        "/api/v1/authors",
        json={
            "name": "Jane Author",
            "email": "jane@example.com",
            "public_key": public_key_b64(key),
        },
    )
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "name", "token"} and body["token"].startswith("amp_")
    me = market.client.get("/api/v1/authors/me", headers=_bearer(body["token"])).json()
    assert me["name"] == "Jane Author" and me["verified"] is False
    assert [k["public_key"] for k in me["keys"]] == [public_key_b64(key)]


def test_tokens_are_stored_hashed(market: Market) -> None:
    token = market.register()
    with market.services.engine.connect() as conn:
        dump = " ".join(str(v) for row in conn.execute(text("SELECT * FROM tokens")) for v in row)
    assert token not in dump and token[4:] not in dump


def test_registration_conflicts_and_bad_input(market: Market) -> None:
    key = generate_private_key()
    market.register("Jane Author", key)
    post = market.client.post
    again = post(
        "/api/v1/authors",
        json={
            "name": "jane-author",
            "email": "j@example.com",
            "public_key": public_key_b64(generate_private_key()),
        },
    )
    assert again.status_code == 409 and again.json()["error"]["code"] == "name-taken"
    same_key = post(
        "/api/v1/authors",
        json={"name": "Other", "email": "o@example.com", "public_key": public_key_b64(key)},
    )
    assert same_key.status_code == 409 and same_key.json()["error"]["code"] == "key-taken"
    bad_key = post(
        "/api/v1/authors", json={"name": "Bob", "email": "b@example.com", "public_key": "AAAA"}
    )
    assert bad_key.status_code == 400
    assert bad_key.json()["error"]["message"].startswith("public_key: not base64 of 32 bytes")
    bad_mail = post(
        "/api/v1/authors",
        json={"name": "Bob", "email": "nope", "public_key": public_key_b64(generate_private_key())},
    )
    assert bad_mail.status_code == 400 and "email" in bad_mail.json()["error"]["message"]
    assert market.row_count("authors") == 1


def test_tokens_scopes_and_revocation(market: Market) -> None:
    token = market.register()
    client = market.client
    extra = client.post("/api/v1/tokens", headers=_bearer(token), json={"label": "ci"})
    assert extra.status_code == 201
    second = extra.json()["token"]
    assert client.get("/api/v1/authors/me", headers=_bearer(second)).status_code == 200
    listed = client.get("/api/v1/tokens", headers=_bearer(token)).json()["items"]
    assert {t["label"] for t in listed} == {"registration", "ci"}
    ci_id = next(t["id"] for t in listed if t["label"] == "ci")
    assert client.delete(f"/api/v1/tokens/{ci_id}", headers=_bearer(token)).status_code == 204
    revoked = client.get("/api/v1/authors/me", headers=_bearer(second))
    assert revoked.status_code == 401 and revoked.json()["error"]["code"] == "token-revoked"
    # authors cannot mint admin tokens, and publish tokens cannot moderate
    assert (
        client.post(
            "/api/v1/tokens", headers=_bearer(token), json={"scopes": ["admin"]}
        ).status_code
        == 403
    )
    forbidden = client.get("/api/v1/admin/reviews", headers=_bearer(token))
    assert (
        forbidden.status_code == 403 and forbidden.json()["error"]["code"] == "insufficient-scope"
    )
    admin = market.admin_token()
    assert client.get("/api/v1/admin/reviews", headers=_bearer(admin)).status_code == 200
    assert client.get("/api/v1/authors/me", headers=_bearer(admin)).status_code == 403
    assert client.get("/api/v1/authors/me", headers=_bearer("amp_nope")).status_code == 401


def test_keys_add_and_revoke(market: Market) -> None:
    token = market.register()
    client = market.client
    new_key = public_key_b64(generate_private_key())
    added = client.post(
        "/api/v1/authors/me/keys", headers=_bearer(token), json={"public_key": new_key}
    )
    assert added.status_code == 201
    fingerprint = added.json()["fingerprint"]
    assert (
        client.delete(f"/api/v1/authors/me/keys/{fingerprint}", headers=_bearer(token)).status_code
        == 204
    )
    keys = client.get("/api/v1/authors/me", headers=_bearer(token)).json()["keys"]
    assert [k["revoked"] for k in keys] == [False, True]
    missing = client.delete("/api/v1/authors/me/keys/nope", headers=_bearer(token))
    assert missing.status_code == 404


def test_admin_verifies_author(market: Market) -> None:
    token = market.register()
    author_id = market.authors[token][0]
    admin = market.admin_token()
    response = market.client.post(
        f"/api/v1/admin/authors/{author_id}/verify", headers=_bearer(admin), json={"verified": True}
    )
    assert response.status_code == 200
    me = market.client.get("/api/v1/authors/me", headers=_bearer(token)).json()
    assert me["verified"] is True


def test_package_scoped_and_expiring_tokens(market: Market) -> None:
    token = market.register()
    client = market.client
    scoped = client.post(
        "/api/v1/tokens",
        headers=_bearer(token),
        json={"label": "ci", "package": "aos-airtable", "expires_in_days": 1},
    )
    assert scoped.status_code == 201
    ci = scoped.json()["token"]
    assert market.publish(ci, market.package(token)).status_code == 201
    other = market.publish(ci, market.package(token, name="aos-other"))
    assert other.status_code == 403 and other.json()["error"]["code"] == "token-scope"
    # a limited token cannot widen itself or touch keys
    assert client.post("/api/v1/tokens", headers=_bearer(ci), json={}).status_code == 403
    new_key = public_key_b64(generate_private_key())
    assert (
        client.post(
            "/api/v1/authors/me/keys", headers=_bearer(ci), json={"public_key": new_key}
        ).status_code
        == 403
    )
    market.clock.advance(days=2)
    expired = client.get("/api/v1/authors/me", headers=_bearer(ci))
    assert expired.status_code == 401 and expired.json()["error"]["code"] == "token-expired"


def test_last_use_is_recorded_without_a_write_per_request(market: Market) -> None:
    token = market.register()

    def last_used() -> object:
        with market.services.engine.connect() as conn:
            return conn.execute(text("SELECT last_used_at FROM tokens")).scalar_one()

    assert last_used() is None
    market.client.get("/api/v1/authors/me", headers=_bearer(token))
    first = last_used()
    assert first is not None
    market.clock.advance(minutes=1)
    market.client.get("/api/v1/authors/me", headers=_bearer(token))
    assert last_used() == first  # within five minutes: no write
    market.clock.advance(minutes=5)
    market.client.get("/api/v1/authors/me", headers=_bearer(token))
    assert last_used() != first
