"""SECURITY-CASES B8: a version signed by a key added after the account's first key
waits for a moderator during the cooling-off period (24 hours by default)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from argent_marketplace.package.signing import generate_private_key, public_key_b64
from tests.server.conftest import Market


def _add_key(market: Market, token: str) -> Ed25519PrivateKey:
    new = generate_private_key()
    added = market.client.post(
        "/api/v1/authors/me/keys",
        headers={"Authorization": f"Bearer {token}"},
        json={"public_key": public_key_b64(new)},
    )
    assert added.status_code == 201, added.text
    return new


def test_a_new_key_signs_into_review_until_it_cools_off(market: Market) -> None:
    token = market.register()
    first = market.publish(token, market.package(token, version="1.0.0")).json()
    assert first["status"] == "published"  # the account's own key: no cooling-off
    market.clock.advance(hours=1)
    new = _add_key(market, token)
    market.clock.advance(hours=2)
    held = market.publish(token, market.package(token, key=new, version="1.1.0")).json()
    assert held["status"] == "pending_review", held["findings"]
    finding = held["findings"][0]
    assert finding["rule"] == "new-signing-key" and finding["severity"] == "medium"
    assert "2.0 hours ago" in finding["message"] and "24 hours" in finding["message"]
    # the author sees why, and the catalog still shows the old version
    mine = market.client.get(
        "/api/v1/authors/me/packages", headers={"Authorization": f"Bearer {token}"}
    ).json()
    assert "new-signing-key" in str(mine)
    assert market.client.get("/api/v1/catalog/aos-airtable").json()["latest"]["version"] == "1.0.0"
    # a day later the key signs like any other
    market.clock.advance(hours=23)
    later = market.publish(token, market.package(token, key=new, version="1.2.0")).json()
    assert later["status"] == "published", later["findings"]


def test_the_old_key_is_not_held_when_a_new_one_is_added(market: Market) -> None:
    token = market.register()
    market.clock.advance(hours=1)
    _add_key(market, token)
    body = market.publish(token, market.package(token)).json()
    assert body["status"] == "published", body["findings"]


@pytest.mark.parametrize("value", ["a day", "-1", "1e11", "nan"])
def test_a_bad_cooling_off_setting_is_refused_at_start(tmp_path: Path, value: str) -> None:
    result = subprocess.run(
        [str(Path(sys.executable).parent / "argent-marketplace"), "admin", "review", "list"],
        env={"ARGENT_MARKETPLACE_KEY_COOLING_OFF_HOURS": value, "PATH": "/usr/bin:/bin"},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("error[bad-setting]: ARGENT_MARKETPLACE_KEY_COOLING_OFF_HOURS")
