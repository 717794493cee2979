"""Every licensing rule through the HTTP API, on SQLite, PostgreSQL and PostgreSQL + S3."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from argent_marketplace.server.app import create_app
from argent_marketplace.server.settings import Settings
from tests.server.conftest import Clock, Market


def _admin(market: Market) -> dict[str, str]:
    return {"Authorization": f"Bearer {market.admin_token()}"}


def _paid(market: Market, pricing: str = "pro", **manifest: object) -> None:
    token = market.register()
    response = market.publish(
        token, market.package(token, pricing=pricing, price_cents=1900, **manifest)
    )
    assert response.status_code == 201, response.text


def _issue(market: Market, **body: Any) -> str:
    response = market.client.post(
        "/api/v1/admin/licenses", headers=_admin(market), json={"package": "aos-airtable", **body}
    )
    assert response.status_code == 201, response.text
    return str(response.json()["key"])


def _activate(market: Market, key: str, machine: int) -> Any:
    return market.client.post(
        "/api/v1/activate",
        json={
            "key": key,
            "instance_id": f"instance-{machine}",
            "hardware_fingerprint": f"{machine:064x}",
        },
    )


def test_pro_allows_three_machines(market: Market) -> None:
    _paid(market)
    key = _issue(market)
    for machine in (1, 2, 3):
        response = _activate(market, key, machine)
        assert response.status_code == 200, response.text
        assert response.json()["activations"] == machine
        assert response.json()["token"].count(".") == 1
    fourth = _activate(market, key, 4)
    assert fourth.status_code == 403 and fourth.json()["error"]["code"] == "too-many-machines"
    again = _activate(market, key, 2)  # a known machine re-activates without a new slot
    assert again.status_code == 200 and again.json()["activations"] == 3
    freed = market.client.post(
        "/api/v1/deactivate", json={"key": key, "hardware_fingerprint": f"{3:064x}"}
    )
    assert freed.status_code == 200 and freed.json()["activations"] == 2
    assert _activate(market, key, 4).status_code == 200


def test_enterprise_unlimited_and_per_skill_single(market: Market) -> None:
    _paid(market, pricing="enterprise")
    enterprise = _issue(market)
    for machine in range(1, 11):
        assert _activate(market, enterprise, machine).status_code == 200
    single = _issue(market, type="per-skill")
    assert _activate(market, single, 1).status_code == 200
    assert _activate(market, single, 2).json()["error"]["code"] == "too-many-machines"
    state = market.client.get(f"/api/v1/license/{single}").json()
    assert state["type"] == "per-skill" and state["expires_at"] is None


def test_trial_expires_on_the_server_clock(market: Market) -> None:
    _paid(market, pricing="trial", trial_days=7)
    key = _issue(market)
    state = market.client.get(f"/api/v1/license/{key}").json()
    assert state["type"] == "trial" and state["max_activations"] == 1
    assert _activate(market, key, 1).status_code == 200
    market.clock.advance(days=7)  # the boundary second: expired
    expired = _activate(market, key, 1)
    assert expired.status_code == 403 and expired.json()["error"]["code"] == "license-expired"
    assert market.client.get(f"/api/v1/license/{key}").json()["status"] == "expired"


def test_revocation_and_who_learns_it(market: Market) -> None:
    _paid(market)
    key = _issue(market)
    assert _activate(market, key, 1).status_code == 200
    revoked = market.client.post(
        "/api/v1/admin/licenses/revoke",
        headers=_admin(market),
        json={"key": key, "reason": "refunded"},
    )
    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked"
    owner = _activate(market, key, 1)  # an activated machine learns the reason
    assert owner.status_code == 403 and owner.json()["error"]["code"] == "license-revoked"
    stranger = _activate(market, key, 9)  # anyone else cannot tell revoked from unknown
    from argent_marketplace.licensing.keys import new_key

    unknown = _activate(market, new_key(), 9)
    assert stranger.json()["error"] == unknown.json()["error"]
    assert stranger.json()["error"]["code"] == "invalid-license"
    check = market.client.get(f"/api/v1/license/check/{key}").json()
    assert check == {
        "valid": False,
        "status": "invalid",
        "type": None,
        "orgName": None,
        "error": "this license key is not valid",
    }


def test_download_gate(market: Market) -> None:
    _paid(market)
    key = _issue(market)
    url = "/api/v1/catalog/aos-airtable/download"
    none = market.client.get(url)
    assert none.status_code == 402
    assert none.json()["error"]["details"] == {
        "pricing": "pro",
        "price_cents": 1900,
        "reason": "license-required",
    }
    not_active = market.client.get(url, headers={"X-License-Key": key})
    assert not_active.status_code == 402
    assert not_active.json()["error"]["details"]["reason"] == "license-not-activated"
    assert _activate(market, key, 1).status_code == 200
    assert market.download(**{}).status_code == 402  # no header: still refused
    ok = market.client.get(url, headers={"X-License-Key": key}, follow_redirects=False)
    assert ok.status_code == 302
    assert market.fetch(ok.headers["location"]).status_code == 200
    market.client.post(
        "/api/v1/admin/licenses/revoke",
        headers=_admin(market),
        json={"key": key, "reason": "fraud"},
    )
    gone = market.client.get(url, headers={"X-License-Key": key})
    assert gone.status_code == 402  # revocation takes effect at once
    # a link issued before the revocation lives out its TTL (5 minutes), no longer (E3);
    # S3's presigned links expire on the store's own clock, tested in test_storage
    issued = ok.headers["location"]
    assert market.fetch(issued).status_code == 200
    if "/api/v1/blobs/" in issued:
        market.clock.advance(seconds=299)
        assert market.fetch(issued).status_code == 200
        market.clock.advance(seconds=2)
        late = market.fetch(issued)
        assert late.status_code == 403 and late.json()["error"]["code"] == "url-expired"


def test_catalog_shows_paid_packages_and_licensed_private_ones(market: Market) -> None:
    _paid(market)
    item = market.client.get("/api/v1/catalog").json()["items"][0]
    assert item["pricing"] == "pro" and item["price_cents"] == 1900
    key = _issue(market)
    market.client.post(
        "/api/v1/admin/packages/aos-airtable/listing",
        headers=_admin(market),
        json={"listed": False},
    )
    assert market.client.get("/api/v1/catalog").json()["total"] == 0
    licensed = market.client.get("/api/v1/catalog/licensed", params={"key": key}).json()
    assert [i["name"] for i in licensed["items"]] == ["aos-airtable"]
    assert licensed["items"][0]["listed"] is False
    other = market.client.get("/api/v1/catalog/licensed", params={"key": "ARGN-nope"}).json()
    assert other["total"] == 0


def test_status_check_and_bulk_validate(market: Market) -> None:
    _paid(market)
    key = _issue(market)
    state = market.client.get(f"/api/v1/license/{key}").json()
    assert state["status"] == "active" and state["type"] == "pro"
    assert state["activations"] == 0 and state["max_activations"] == 3
    check = market.client.get(f"/api/v1/license/check/{key}").json()
    assert check == {"valid": True, "status": "active", "type": "pro", "orgName": None, "error": ""}
    # a wrong check character (one that differs from the real one: 1 key in 32 ends in X)
    typo = market.client.get(f"/api/v1/license/{key[:-1]}{'X' if key[-1] != 'X' else 'Y'}")
    assert typo.status_code == 400 and typo.json()["error"]["code"] == "invalid-key-format"
    results = market.client.post(
        "/api/v1/license/validate", json={"keys": [key, "ARGN-broken", key]}
    ).json()["results"]
    assert [r["valid"] for r in results] == [True, False, True]
    too_many = market.client.post("/api/v1/license/validate", json={"keys": [key] * 101})
    assert too_many.status_code == 400


def test_extend_and_admin_show(market: Market) -> None:
    _paid(market)
    key = _issue(market)
    before = market.client.post(
        "/api/v1/admin/licenses/show", headers=_admin(market), json={"key": key}
    ).json()["expires_at"]
    after = market.client.post(
        "/api/v1/admin/licenses/extend", headers=_admin(market), json={"key": key, "days": 30}
    ).json()["expires_at"]
    assert after > before
    market.clock.advance(days=380)
    assert market.client.get(f"/api/v1/license/{key}").json()["status"] == "active"


def test_rate_limits(market: Market) -> None:
    _paid(market)
    key = _issue(market)
    answers = [market.client.get(f"/api/v1/license/check/{key}").status_code for _ in range(35)]
    assert answers[:30] == [200] * 30 and answers[-1] == 429
    limited = market.client.get(f"/api/v1/license/check/{key}")
    assert limited.json()["error"]["code"] == "rate-limited"
    assert 1 <= int(limited.headers["retry-after"]) <= 60
    market.clock.advance(seconds=61)
    assert market.client.get(f"/api/v1/license/check/{key}").status_code == 200


def _count(market: Market, prefix: str) -> int:
    with market.services.engine.connect() as conn:
        rows = conn.execute(text("SELECT bucket, count FROM rate_limits")).all()
    return sum(int(n) for bucket, n in rows if bucket.startswith(prefix))


def test_a_bulk_validation_costs_one_check_per_ten_keys(market: Market) -> None:
    """100 keys at once (the most a request takes) count as 10 of the address's 60."""
    from argent_marketplace.licensing.keys import new_key

    keys = [new_key() for _ in range(100)]
    answer = market.client.post("/api/v1/license/validate", json={"keys": keys})
    assert answer.status_code == 200, answer.text
    assert len(answer.json()["results"]) == 100
    assert _count(market, "lic-ip:") == 10
    codes = [
        market.client.post("/api/v1/license/validate", json={"keys": keys}).status_code
        for _ in range(6)
    ]
    assert codes == [200] * 5 + [429]  # 60 a minute: the seventh is refused


def test_spellings_and_copies_of_a_key_share_its_limit(market: Market) -> None:
    _paid(market)
    key = _issue(market)
    spellings = [key, key.lower(), key.replace("-", ""), key.replace("-", " ")]
    # 31 copies of one key in one request count once against it
    bulk = market.client.post("/api/v1/license/validate", json={"keys": [key] * 31})
    assert bulk.status_code == 200
    codes = [
        market.client.get(f"/api/v1/license/check/{spellings[i % 4]}").status_code
        for i in range(30)
    ]
    assert codes == [200] * 29 + [429]  # 30 a minute per key, however it is written


def test_a_request_refused_for_its_key_still_costs_its_address(market: Market) -> None:
    _paid(market)
    key = _issue(market)
    codes = [market.client.get(f"/api/v1/license/check/{key}").status_code for _ in range(35)]
    assert codes.count(429) == 5
    assert _count(market, "lic-ip:") == 35


def test_old_rate_limit_counters_are_pruned(market: Market) -> None:
    from argent_marketplace.db.engine import transaction
    from argent_marketplace.licensing.ratelimit import hit, prune

    engine, now = market.services.engine, market.clock()
    with transaction(engine) as conn:
        hit(conn, "test:old", limit=5, window_seconds=60, now=now)
    market.clock.advance(hours=2)
    with transaction(engine) as conn:
        hit(conn, "test:recent", limit=5, window_seconds=60, now=market.clock())
        assert prune(conn, market.clock(), older_than_seconds=3600) == 1
    assert _count(market, "test:") == 1


def test_license_limits_are_settings_and_0_turns_them_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in (
        ("ARGENT_MARKETPLACE_LICENSE_CHECKS_PER_ADDRESS", "0"),
        ("ARGENT_MARKETPLACE_LICENSE_CHECKS_PER_KEY", "0"),
        ("ARGENT_MARKETPLACE_ACTIVATION_CHANGES_PER_HOUR", "5"),
    ):
        monkeypatch.setenv(name, value)
    settings = Settings.from_env(tmp_path / "data")
    assert (
        settings.license_rate_per_address,
        settings.license_rate_per_key,
        settings.activation_changes_per_hour,
    ) == (0, 0, 5)
    clock = Clock()
    app = create_app(settings, clock=clock)
    with TestClient(app) as client:
        market = Market(client, app.state.services, clock, tmp_path)
        _paid(market)
        key = _issue(market)
        answers = [client.get(f"/api/v1/license/check/{key}").status_code for _ in range(70)]
        assert answers == [200] * 70
        # the activation limit still holds on its own: the sixth change in the hour is refused
        changes = [_activate(market, key, n).status_code for n in range(1, 4)]
        changes += [
            client.post(
                "/api/v1/deactivate",
                json={
                    "key": key,
                    "hardware_fingerprint": f"{n:064x}",
                    "instance_id": f"instance-{n}",
                },
            ).status_code
            for n in range(1, 4)
        ]
        assert changes == [200] * 5 + [429], changes
        with market.services.engine.connect() as conn:  # only the activations counted
            buckets = conn.execute(text("SELECT bucket FROM rate_limits")).scalars().all()
        assert [b.split(":")[0] for b in buckets if b.startswith("lic-")] == ["lic-act"], buckets
    app.state.services.engine.dispose()


def test_activation_cycling_is_limited(market: Market) -> None:
    _paid(market, pricing="per-skill")
    key = _issue(market)
    codes = []
    spellings = [key, key.lower(), key.replace("-", " ")]  # one key: one budget
    for n in range(12):
        codes.append(_activate(market, spellings[n % 3], 1).status_code)
        codes.append(
            market.client.post(
                "/api/v1/deactivate",
                json={"key": spellings[(n + 1) % 3], "hardware_fingerprint": f"{1:064x}"},
            ).status_code
        )
        market.clock.advance(seconds=61)  # stay under the per-minute limits
    assert 429 in codes
    assert codes.index(429) == 20  # the 21st change within the hour


def test_racing_activations_take_exactly_the_free_slots(market: Market) -> None:
    """Ten machines activate a 3-machine license at once: exactly three succeed."""
    import threading

    from argent_marketplace.db.engine import transaction
    from argent_marketplace.licensing import services as lic
    from argent_marketplace.licensing.errors import TooManyMachines

    _paid(market)
    key = _issue(market)
    services = market.services
    outcomes: list[str] = []
    barrier = threading.Barrier(10)

    def machine(n: int) -> None:
        barrier.wait()
        try:
            with transaction(services.engine) as conn:
                lic.activate(
                    conn,
                    services.license_keys,
                    key=key,
                    instance_id=f"i{n}",
                    fingerprint=f"{n:064x}",
                    now=market.clock(),
                )
            outcomes.append("ok")
        except TooManyMachines:
            outcomes.append("full")

    threads = [threading.Thread(target=machine, args=(n,)) for n in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcomes) == ["full"] * 7 + ["ok"] * 3
    assert market.client.get(f"/api/v1/license/{key}").json()["activations"] == 3


def _private(market: Market, name: str = "aos-airtable") -> None:
    response = market.client.post(
        f"/api/v1/admin/packages/{name}/listing", headers=_admin(market), json={"listed": False}
    )
    assert response.status_code == 200, response.text


def test_an_org_private_package_opens_only_to_a_license_covering_it(market: Market) -> None:
    """Details and downloads of an unlisted package, as existing clients ask for them."""
    _paid(market, pricing="enterprise")
    key = _issue(market, type="enterprise", org_name="Acme")
    _private(market)
    other = _issue(market, type="enterprise", org_name="Other", package=None)
    package_id = market.client.get(
        "/api/v1/catalog/licensed", headers={"X-License-Key": key}
    ).json()["items"][0]["id"]
    details = "/api/v1/catalog/aos-airtable"
    download = details + "/download"
    for ref in ("aos-airtable", package_id):  # by name and by id
        assert market.client.get(f"/api/v1/catalog/{ref}").status_code == 404
    # to a stranger, every answer about it reads exactly as for a name nobody has
    for path in ("", "/keys", "/download", "/download?version=1.0.0"):
        private = market.client.get(f"/api/v1/catalog/aos-airtable{path}")
        unknown = market.client.get(f"/api/v1/catalog/aos-nobody{path}")
        assert private.status_code == unknown.status_code == 404, path
        assert private.text == unknown.text.replace("aos-nobody", "aos-airtable"), path
    assert market.client.get(details, headers={"X-License-Key": other}).status_code == 404
    assert market.client.get(details, headers={"X-License-Key": "ARGN-nope"}).status_code == 404
    shown = market.client.get(details, headers={"X-License-Key": key})
    assert shown.status_code == 200, shown.text
    assert shown.json()["listed"] is False and shown.json()["latest"]["version"] == "1.0.0"
    assert shown.headers["cache-control"] == "no-store"  # a shared cache must not keep it
    keys = details + "/keys"  # what installers pin: as private as the rest
    assert market.client.get(keys).status_code == 404
    assert market.client.get(keys, headers={"X-License-Key": other}).status_code == 404
    pinned = market.client.get(keys, headers={"X-License-Key": key})
    assert pinned.status_code == 200 and pinned.json()["package"] == "aos-airtable"
    # without the key, neither the latest nor an exact version exists
    for params in ({}, {"version": "1.0.0"}):
        gone = market.client.get(download, params=params)
        assert gone.status_code == 404 and gone.json()["error"]["code"] == "not-found"
    wrong = market.client.get(download, headers={"X-License-Key": other})
    assert wrong.status_code == 404
    # with it: a paid package still needs the license activated somewhere
    early = market.client.get(download, headers={"X-License-Key": key})
    assert early.status_code == 402
    assert early.json()["error"]["details"]["reason"] == "license-not-activated"
    assert _activate(market, key, 1).status_code == 200
    ok = market.client.get(download, headers={"X-License-Key": key}, follow_redirects=False)
    assert ok.status_code == 302
    assert market.fetch(ok.headers["location"]).status_code == 200
    revoke = {"key": key, "reason": "fraud"}
    market.client.post("/api/v1/admin/licenses/revoke", headers=_admin(market), json=revoke)
    assert market.client.get(details, headers={"X-License-Key": key}).status_code == 404
    assert market.client.get(download, headers={"X-License-Key": key}).status_code == 404


def test_a_free_org_private_package_needs_no_activation(market: Market) -> None:
    token = market.register()
    assert market.publish(token, market.package(token)).status_code == 201  # free
    key = _issue(market, type="enterprise", org_name="Acme")
    _private(market)
    url = "/api/v1/catalog/aos-airtable/download"
    assert market.client.get(url).status_code == 404
    ok = market.client.get(url, headers={"X-License-Key": key}, follow_redirects=False)
    assert ok.status_code == 302, ok.text


def test_an_activation_without_a_body_says_what_to_send(market: Market) -> None:
    answer = market.client.post("/api/v1/activate")
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["code"] == "invalid-request"
    assert error["message"] == (
        "request body: missing: send a JSON object (Content-Type: application/json)"
    )
    partial = market.client.post("/api/v1/activate", json={"key": "ARGN-x"}).json()["error"]
    assert partial["message"].startswith("instance_id: ")
