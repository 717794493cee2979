"""The licensing "done when", with real processes: issue, activate on three machines,
install, revoke; and rate limits shared by two server processes on PostgreSQL."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from pathlib import Path

import httpx

from tests.conftest import EXAMPLE
from tests.e2e.servers import BIN, base_env, run_argent, running_server
from tests.support.services import postgres_database


def _admin(*args: str, data: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "argent-marketplace"), *args, "--data-dir", str(data)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _publish_paid(tmp: Path, url: str, pricing: str = "pro") -> None:
    env = base_env(tmp / "author")
    pub = run_argent("marketplace", "keygen", env=env, cwd=tmp).stdout.strip().splitlines()[-1]
    folder = tmp / "paid"
    shutil.copytree(EXAMPLE, folder)
    doc = json.loads((folder / "argent.plugin.json").read_text())
    price = {"pricing": pricing, "price_cents": 0 if pricing == "free" else 1900}
    doc.update(**price, author={"name": "Jane", "publicKey": pub})
    (folder / "argent.plugin.json").write_text(json.dumps(doc))
    key = Path(env["ARGENTOS_HOME"]) / "keys" / "marketplace-ed25519.pem"
    archive = tmp / "paid.argent-pkg"
    assert (
        run_argent(
            "marketplace", "pack", folder, "-o", archive, "--key", key, env=env, cwd=tmp
        ).returncode
        == 0
    )
    assert (
        run_argent(
            "marketplace",
            "register",
            "--name",
            "Jane",
            "--email",
            "j@example.com",
            "--server",
            url,
            env=env,
            cwd=tmp,
        ).returncode
        == 0
    )
    published = run_argent("marketplace", "publish", archive, "--server", url, env=env, cwd=tmp)
    assert published.returncode == 0, published.stderr


def test_pro_license_three_machines_then_revoked(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with running_server(
        ["--data-dir", str(data)], base_env(tmp_path / "srv"), tmp_path / "serve.log"
    ) as url:
        _publish_paid(tmp_path, url)
        issued = _admin("license", "issue", "--package", "aos-airtable", "--type", "pro", data=data)
        assert issued.returncode == 0, issued.stderr
        key = issued.stdout.strip().splitlines()[-1]
        assert key.startswith("ARGN-")

        machines = []
        for n in range(4):
            env = base_env(tmp_path / f"machine{n}")
            env["ARGENT_FINGERPRINT"] = f"machine-{n}"
            machines.append(env)
        for env in machines[:3]:
            activated = run_argent(
                "marketplace", "activate", key, "--server", url, env=env, cwd=tmp_path
            )
            assert activated.returncode == 0, activated.stderr
            license_json = Path(env["ARGENTOS_HOME"]) / "license.json"
            assert json.loads(license_json.read_text())["key"] == key
            assert oct(license_json.stat().st_mode & 0o777) == "0o600"
            installed = run_argent(
                "marketplace", "install", "aos-airtable", "--server", url, env=env, cwd=tmp_path
            )
            assert installed.returncode == 0, installed.stderr
        fourth = run_argent(
            "marketplace", "activate", key, "--server", url, env=machines[3], cwd=tmp_path
        )
        assert fourth.returncode == 8 and fourth.stderr.startswith("error[too-many-machines]")
        status = run_argent(
            "marketplace", "license", "status", "--offline", env=machines[0], cwd=tmp_path
        )
        assert status.returncode == 0 and "Offline token valid: pro" in status.stdout
        elsewhere = run_argent(
            "marketplace", "license", "status", "--server", "http://127.0.0.1:9",
            env=machines[0], cwd=tmp_path,
        )  # fmt: skip
        assert elsewhere.returncode == 3 and "error[other-server]" in elsewhere.stderr

        typo = run_argent(
            "marketplace",
            "activate",
            key[:-1] + ("0" if key[-1] != "0" else "1"),
            "--server",
            url,
            env=machines[3],
            cwd=tmp_path,
        )
        assert typo.returncode == 3 and "invalid-key-format" in typo.stderr  # caught locally

        revoked = _admin("license", "revoke", key, "--reason", "refunded", data=data)
        assert revoked.returncode == 0 and '"status": "revoked"' in revoked.stdout
        again = run_argent(
            "marketplace",
            "install",
            "aos-airtable",
            "--force",
            "--server",
            url,
            env=machines[0],
            cwd=tmp_path,
        )
        assert again.returncode == 8 and again.stderr.startswith("error[license-required]")
        owner = run_argent(
            "marketplace", "license", "status", "--server", url, env=machines[0], cwd=tmp_path
        )
        assert owner.returncode == 0 and "revoked" in owner.stdout
        # the dashboard call puts the key in the URL, which the access log records
        assert httpx.get(f"{url}/api/v1/license/check/{key}").json()["valid"] is False
    log = (tmp_path / "serve.log").read_text()
    assert "[REDACTED]" in log
    assert key not in log and key.lower() not in log  # no key ever in a log line


def test_an_org_private_package_with_the_cli(tmp_path: Path) -> None:
    """An admin makes a package private and licenses an organisation; only its machines
    find, see and install it (the key read from ~/.argentos/license.json, as ArgentOS
    keeps it)."""
    data = tmp_path / "data"
    with running_server(
        ["--data-dir", str(data)], base_env(tmp_path / "srv"), tmp_path / "serve.log"
    ) as url:
        _publish_paid(tmp_path, url, pricing="free")
        made = _admin("admin", "listing", "aos-airtable", "--private", data=data)
        assert made.returncode == 0 and "aos-airtable is now private" in made.stdout
        issued = _admin(
            "license", "issue", "--package", "aos-airtable", "--type", "enterprise",
            "--org", "Acme", data=data,
        )  # fmt: skip
        assert issued.returncode == 0, issued.stderr
        key = issued.stdout.strip().splitlines()[-1]
        outsider, member = base_env(tmp_path / "outsider"), base_env(tmp_path / "member")
        home = Path(member["ARGENTOS_HOME"])
        home.mkdir(parents=True, exist_ok=True)
        (home / "license.json").write_text(json.dumps({"key": key}))

        def argent(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
            return run_argent("marketplace", *args, "--server", url, env=env, cwd=tmp_path)

        assert "aos-airtable" not in argent(outsider, "search", "air").stdout
        assert argent(outsider, "details", "aos-airtable").returncode != 0
        refused = argent(outsider, "install", "aos-airtable")
        assert refused.returncode != 0 and "not-found" in refused.stderr
        assert "aos-airtable" in argent(member, "search", "air").stdout
        shown = argent(member, "details", "aos-airtable", "--json")
        assert shown.returncode == 0 and json.loads(shown.stdout)["result"]["listed"] is False
        installed = argent(member, "install", "aos-airtable")
        assert installed.returncode == 0, installed.stderr
        connector = Path(member["ARGENTOS_HOME"]) / "connectors" / "aos-airtable"
        assert (connector / "connector.json").is_file()
        public = _admin("admin", "listing", "aos-airtable", "--public", data=data)
        assert public.returncode == 0 and "aos-airtable is now public" in public.stdout
        assert "aos-airtable" in argent(outsider, "search", "air").stdout


def test_rate_limit_is_shared_by_two_processes(tmp_path: Path) -> None:
    # The per-key limit is the one under test; the address's must not interfere.
    env = {**base_env(tmp_path / "srv"), "ARGENT_MARKETPLACE_LICENSE_CHECKS_PER_ADDRESS": "1000"}
    with postgres_database() as db:
        args = ["--data-dir", str(tmp_path / "data"), "--database-url", db]
        with (
            running_server(args, env, tmp_path / "a.log") as a,
            running_server(args, env, tmp_path / "b.log") as b,
        ):
            # Windows are whole clock minutes: a run that crosses into the next one starts
            # from 0 again, so it is done over with another key.
            for attempt in range(3):
                key = f"ARGN-00000-00000-00000-00000-{attempt}"
                minute = int(time.time() // 60)
                codes = [
                    httpx.get(f"{(a, b)[i % 2]}/api/v1/license/check/{key}").status_code
                    for i in range(34)
                ]
                if int(time.time() // 60) == minute:
                    break
    # 30 per key per minute in all: the 31st is refused whichever process answers it
    assert codes[:30] == [200] * 30 and set(codes[30:]) == {429}
