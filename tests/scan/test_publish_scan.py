"""End to end through the server: the scanner decides the status of an upload."""

from __future__ import annotations

import pytest

from tests.server.conftest import Market

EVIL = b"import base64\n\n\ndef boot():\n    exec(base64.b64decode('cHJpbnQoMSk='))\n"


def test_malicious_upload_is_flagged_with_file_and_line(market: Market) -> None:
    token = market.register()
    response = market.publish(token, market.package(token, files={"agent-harness/boot.py": EVIL}))
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "flagged"
    first = body["findings"][0]
    assert (first["rule"], first["severity"], first["file"], first["line"]) == (
        "obfuscation",
        "critical",
        "agent-harness/boot.py",
        5,
    )
    assert market.client.get("/api/v1/catalog").json()["total"] == 0
    admin = market.admin_token()
    shown = market.client.get(
        f"/api/v1/admin/versions/{body['id']}", headers={"Authorization": f"Bearer {admin}"}
    ).json()
    assert shown["findings"][0]["rule"] == "obfuscation"


def test_typosquat_of_another_authors_package(market: Market) -> None:
    owner = market.register("Owner Author")
    assert market.publish(owner, market.package(owner)).json()["status"] == "published"
    squatter = market.register("Squatter Author")
    body = market.publish(squatter, market.package(squatter, name="aos-airtabel")).json()
    assert body["status"] == "flagged"
    assert any(
        f["rule"] == "typosquatting" and "aos-airtable" in f["message"] for f in body["findings"]
    )


@pytest.mark.parametrize(
    ("squat", "how"),
    [
        ("aos-a-i-r-t-a-b-l-e", "looks like"),  # hyphen padding changes the length a lot
        ("aos-airtabie", "looks like"),  # i for l
        ("aos-alrtable", "looks like"),  # l for i
        ("aos-iairtable", "is one typo away from"),
        ("aos-aritable", "is one typo away from"),  # swapped neighbours
        ("aos-airtable-official", "claims to be the official"),  # a word claiming authority
    ],
)
def test_look_alike_names_are_found_by_index(market: Market, squat: str, how: str) -> None:
    owner = market.register("Owner Author")
    assert market.publish(owner, market.package(owner)).json()["status"] == "published"
    squatter = market.register("Squatter Author")
    body = market.publish(squatter, market.package(squatter, name=squat)).json()
    hits = [f for f in body["findings"] if f["rule"] == "typosquatting"]
    assert hits and f"{how} 'aos-airtable'" in hits[0]["message"], body["findings"]
    assert body["status"] == "flagged"


def test_an_author_may_publish_similar_names(market: Market) -> None:
    token = market.register()
    assert market.publish(token, market.package(token)).json()["status"] == "published"
    body = market.publish(token, market.package(token, name="aos-airtables")).json()
    assert body["status"] == "published", body["findings"]


def test_names_written_without_keys_are_filled_at_start(market: Market) -> None:
    """A process of an older release (no name keys) published during an upgrade."""
    from sqlalchemy import text

    from argent_marketplace.publish.store import fill_name_keys

    owner = market.register("Owner Author")
    assert market.publish(owner, market.package(owner)).json()["status"] == "published"
    with market.services.engine.begin() as conn:
        conn.execute(text("UPDATE packages SET name_base = '', name_skeleton = ''"))
    assert fill_name_keys(market.services.engine, batch=1) == 1
    squatter = market.register("Squatter Author")
    body = market.publish(squatter, market.package(squatter, name="aos-airtabel")).json()
    assert body["status"] == "flagged"
    assert fill_name_keys(market.services.engine) == 0
