"""Review, approve, reject, yank and remove: through the admin API and the admin CLI."""

from __future__ import annotations

import socket
from pathlib import Path

from click.testing import CliRunner

from argent_marketplace.server.cli import cli as server_cli
from tests.server.conftest import Market


def _pending(market: Market) -> tuple[str, str]:
    token = market.register()
    archive = market.package(token, files={"agent-harness/x.py": b"eval(data)\n"})
    body = market.publish(token, archive).json()
    assert body["status"] == "pending_review"
    return token, body["id"]


def _act(market: Market, admin: str, version_id: str, action: str, reason: str = "checked"):
    return market.client.post(
        f"/api/v1/admin/versions/{version_id}/{action}",
        headers={"Authorization": f"Bearer {admin}"},
        json={"reason": reason},
    )


def test_review_queue_and_approval(market: Market) -> None:
    _, version_id = _pending(market)
    admin = market.admin_token()
    headers = {"Authorization": f"Bearer {admin}"}
    queue = market.client.get("/api/v1/admin/reviews", headers=headers).json()["items"]
    assert [item["id"] for item in queue] == [version_id]
    shown = market.client.get(f"/api/v1/admin/versions/{version_id}", headers=headers).json()
    assert shown["findings"][0]["rule"] == "dynamic-code"
    approved = _act(market, admin, version_id, "approve", "eval on trusted config only")
    assert approved.status_code == 200 and approved.json()["status"] == "published"
    assert market.client.get("/api/v1/catalog/aos-airtable").status_code == 200
    again = _act(market, admin, version_id, "approve")
    assert again.status_code == 409 and again.json()["error"]["code"] == "invalid-transition"


def test_rejection_reason_reaches_the_author(market: Market) -> None:
    token, version_id = _pending(market)
    admin = market.admin_token()
    assert _act(market, admin, version_id, "reject", "eval on network input").status_code == 200
    mine = market.client.get(
        "/api/v1/authors/me/packages", headers={"Authorization": f"Bearer {token}"}
    ).json()["items"]
    version = mine[0]["versions"][0]
    assert version["status"] == "rejected"
    assert version["review_reason"] == "eval on network input"
    assert market.download().status_code == 404


def test_yank_and_remove(market: Market) -> None:
    token = market.register()
    first = market.publish(token, market.package(token)).json()
    second = market.publish(token, market.package(token, version="1.1.0")).json()
    assert first["status"] == second["status"] == "published", (first, second)
    admin = market.admin_token()
    assert _act(market, admin, second["id"], "yank", "broken release").status_code == 200
    assert market.client.get("/api/v1/catalog/aos-airtable").json()["latest_version"] == "1.0.0"
    pinned = market.download(version="1.1.0")
    assert pinned.status_code == 200  # yanked: still installable by exact version
    assert _act(market, admin, first["id"], "remove", "malware").status_code == 200
    gone = market.download(version="1.0.0")
    assert gone.status_code == 404
    # the tombstone keeps the version number used forever
    retry = market.publish(token, market.package(token, changelog="try again"))
    assert retry.status_code == 409 and retry.json()["error"]["code"] == "version-removed"
    # nothing published and unyanked remains: the package leaves the catalog
    assert market.client.get("/api/v1/catalog").json()["total"] == 0


def test_reason_is_required_and_admin_only(market: Market) -> None:
    token, version_id = _pending(market)
    admin = market.admin_token()
    blank = _act(market, admin, version_id, "approve", " ")
    assert blank.status_code == 400
    assert _act(market, token, version_id, "approve").status_code == 403


def test_admin_cli(sqlite_market: Market) -> None:
    market = sqlite_market
    _, version_id = _pending(market)
    data_dir = str(market.workdir / "data")
    runner = CliRunner()
    token = runner.invoke(server_cli, ["admin", "create-token", "--data-dir", data_dir])
    assert token.exit_code == 0, token.output
    assert token.stdout.strip().splitlines()[-1].startswith("amp_")
    listed = runner.invoke(server_cli, ["admin", "review", "list", "--data-dir", data_dir])
    assert version_id in listed.stdout and "pending_review" in listed.stdout
    approved = runner.invoke(
        server_cli,
        ["admin", "review", "approve", version_id, "--reason", "fine", "--data-dir", data_dir],
    )
    assert approved.exit_code == 0, approved.output
    assert "status published" in approved.stdout
    missing = runner.invoke(
        server_cli, ["admin", "review", "approve", "nope", "--reason", "x", "--data-dir", data_dir]
    )
    assert missing.exit_code != 0 and missing.stderr.startswith("error[not-found]")


def test_an_unreachable_database_is_one_line_with_a_hint(tmp_path: Path) -> None:
    """A wrong --database-url is a user's mistake: no traceback, no password shown."""
    with socket.socket() as probe:  # a loopback port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"postgresql://someone:sekrit@127.0.0.1:{port}/nothing"
    runner = CliRunner()
    for args in (["db", "upgrade"], ["admin", "create-token"], ["admin", "review", "list"]):
        result = runner.invoke(
            server_cli, [*args, "--data-dir", str(tmp_path), "--database-url", url]
        )
        assert result.exit_code == 6, (args, result.output)
        assert result.stderr.startswith("error[database-unreachable]: cannot use the database")
        assert "sekrit" not in result.output and "Traceback" not in result.output
        assert "createdb" in result.stderr


def test_a_damaged_database_file_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "marketplace.sqlite3").write_bytes(b"not a database at all " * 10)
    result = CliRunner().invoke(server_cli, ["admin", "create-token", "--data-dir", str(tmp_path)])
    assert result.exit_code == 6, result.output
    assert result.stderr.startswith("error[database-damaged]: ")
    assert "Traceback" not in result.output and "move it away" in result.stderr


def test_a_role_without_rights_is_named(tmp_path: Path) -> None:
    """PostgreSQL says why by SQLSTATE: 42501 is a permission the operator grants."""
    import uuid

    from sqlalchemy import create_engine, make_url, text

    from tests.support.services import postgres_database

    role = f"argent_nopriv_{uuid.uuid4().hex[:8]}"
    with postgres_database() as url:
        admin = create_engine(make_url(url).set(drivername="postgresql+psycopg"))
        with admin.begin() as conn:
            conn.execute(text(f"CREATE ROLE {role} LOGIN"))
        try:
            limited = make_url(url).set(username=role).render_as_string(hide_password=False)
            args = ["db", "upgrade", "--data-dir", str(tmp_path), "--database-url", limited]
            result = CliRunner().invoke(server_cli, args)
            assert result.exit_code == 6, result.output
            assert result.stderr.startswith("error[database-permission]: ")
            assert "OWNER TO" in result.stderr
        finally:
            with admin.begin() as conn:
                conn.execute(text(f"DROP ROLE IF EXISTS {role}"))
            admin.dispose()
