"""The user side end to end: search, install, update, list, uninstall, and attacks on it.

A real server process on loopback (embedded default), a temporary ARGENTOS_HOME,
and the installed ``argent`` command. Every attack must leave the previous
install exactly as it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import httpx
import pytest

from tests.conftest import EXAMPLE
from tests.e2e.servers import BIN, base_env, run_argent, running_server


@dataclass
class World:
    """A running marketplace, an author who can publish, and a user who installs."""

    url: str
    tmp: Path
    author_env: dict[str, str]
    user_env: dict[str, str]
    data: Path

    def argent(self, *args: str | Path) -> subprocess.CompletedProcess[str]:
        """Run ``argent`` as the user, against this world's server where it applies."""
        server = ["--server", self.url] if args[1] in SERVER_COMMANDS else []
        return run_argent(*args, *server, env=self.user_env, cwd=self.tmp)

    def release(
        self, version: str, extra_files: dict[str, Path] | None = None, **manifest: object
    ) -> Path:
        """Pack, sign and publish a version of the example connector as the author."""
        folder = self.tmp / f"src-{version}"
        shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(EXAMPLE, folder)
        for rel, source in (extra_files or {}).items():
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, folder / rel)
        path = folder / "argent.plugin.json"
        doc = json.loads(path.read_text())
        doc.update(
            version=version, author={"name": "Jane", "publicKey": self.author_key()}, **manifest
        )
        path.write_text(json.dumps(doc))
        (folder / "README.md").write_text(f"# aos-airtable {version}\n")
        out = self.tmp / f"aos-airtable-{version}.argent-pkg"
        key = Path(self.author_env["ARGENTOS_HOME"]) / "keys" / "marketplace-ed25519.pem"
        packed = run_argent(
            "marketplace",
            "pack",
            folder,
            "-o",
            out,
            "--key",
            key,
            env=self.author_env,
            cwd=self.tmp,
        )
        assert packed.returncode == 0, packed.stderr
        published = run_argent(
            "marketplace", "publish", out, "--server", self.url, env=self.author_env, cwd=self.tmp
        )
        assert published.returncode == 0, published.stderr
        return out

    def author_key(self) -> str:
        pub = Path(self.author_env["ARGENTOS_HOME"]) / "author.pub"
        return pub.read_text().strip()

    def installed(self) -> Path:
        return Path(self.user_env["ARGENTOS_HOME"]) / "connectors" / "aos-airtable"

    def snapshot(self) -> dict[str, str]:
        root = self.installed()
        return {
            str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*"))
            if p.is_file()
        }


SERVER_COMMANDS = {"search", "details", "install", "update", "list", "register", "publish"}


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    author_env = base_env(tmp_path / "author")
    user_env = base_env(tmp_path / "user")
    keygen = run_argent("marketplace", "keygen", env=author_env, cwd=tmp_path)
    assert keygen.returncode == 0, keygen.stderr
    (tmp_path / "author" / "author.pub").write_text(keygen.stdout.strip().splitlines()[-1])
    data = tmp_path / "data"
    with running_server(["--data-dir", str(data)], author_env, tmp_path / "serve.log") as url:
        registered = run_argent(
            "marketplace",
            "register",
            "--name",
            "Jane",
            "--email",
            "jane@example.com",
            "--server",
            url,
            env=author_env,
            cwd=tmp_path,
        )
        assert registered.returncode == 0, registered.stderr
        yield World(url, tmp_path, author_env, user_env, data)


def test_search_install_update_list_uninstall(world: World) -> None:
    world.release("1.0.0")
    found = world.argent("marketplace", "search", "air")
    assert found.returncode == 0 and "aos-airtable" in found.stdout and "1.0.0" in found.stdout
    free = world.argent("marketplace", "search", "-p", "free", "-s", "name", "--json")
    assert [i["name"] for i in json.loads(free.stdout)["result"]["items"]] == ["aos-airtable"]
    paid = world.argent("marketplace", "search", "--pricing", "pro", "--offset", "0")
    assert paid.returncode == 0 and "aos-airtable" not in paid.stdout
    wrong = world.argent("marketplace", "search", "--pricing", "cheap")
    assert wrong.returncode == 2 and "'cheap' is not one of" in wrong.stderr
    details = world.argent("marketplace", "details", "aos-airtable", "--json")
    assert json.loads(details.stdout)["result"]["latest"]["version"] == "1.0.0"
    assert "  scan: no findings\n" in world.argent("marketplace", "details", "aos-airtable").stdout

    installed = world.argent(
        "marketplace", "install", "aos-airtable", "--argentos-version", "2026.5.6.4"
    )
    assert installed.returncode == 0, installed.stderr
    assert "Installed aos-airtable 1.0.0" in installed.stdout
    assert "next gateway restart" in installed.stdout
    again = world.argent("marketplace", "install", "aos-airtable")
    assert again.returncode == 0
    assert again.stdout == "aos-airtable 1.0.0 is already installed (use --force to reinstall).\n"
    pinned = world.argent("marketplace", "install", "aos-airtable@1.0.0")
    assert pinned.returncode == 0 and "already installed" in pinned.stdout
    shown = world.argent("marketplace", "details", "aos-airtable", "--json")
    assert json.loads(shown.stdout)["result"]["total_downloads"] == 1  # no-ops count none
    forced = world.argent(
        "marketplace", "install", "aos-airtable", "--force", "--argentos-version", "2020.1"
    )
    assert forced.returncode == 0, forced.stderr
    assert "WARNING: aos-airtable 1.0.0 needs ArgentOS >=2026.3.0; this is 2020.1" in forced.stdout
    assert "Reinstalled aos-airtable 1.0.0 in" in forced.stdout and "(was" not in forced.stdout
    record = json.loads((world.installed() / ".argent-install.json").read_text())
    assert record["version"] == "1.0.0" and record["key_fingerprint"].startswith("SHA256:")
    assert (world.installed() / "agent-harness" / "cli_aos" / "airtable" / "cli.py").is_file()
    trust = json.loads(
        (Path(world.user_env["ARGENTOS_HOME"]) / "marketplace" / "trust.json").read_text()
    )
    assert trust["aos-airtable"]["fingerprint"] == record["key_fingerprint"]

    world.release("1.1.0", changelog="Adds views")
    outdated = world.argent("marketplace", "list", "--outdated")
    assert "aos-airtable" in outdated.stdout and "-> 1.1.0" in outdated.stdout
    updated = world.argent(
        "marketplace", "update", "aos-airtable", "--argentos-version", "2026.5.6.4"
    )
    assert updated.returncode == 0, updated.stderr
    assert "Updated aos-airtable 1.1.0 (was 1.0.0)" in updated.stdout
    listed = json.loads(world.argent("marketplace", "list", "--json").stdout)["result"]
    assert [(c["name"], c["version"]) for c in listed["connectors"]] == [("aos-airtable", "1.1.0")]
    assert world.argent("marketplace", "list", "--outdated").stdout.strip() == (
        "Everything is up to date."
    )

    removed = world.argent("marketplace", "uninstall", "aos-airtable")
    assert removed.returncode == 0 and not world.installed().exists()
    assert "The agent stops using it after the next gateway restart." in removed.stdout
    staging = Path(world.user_env["ARGENTOS_HOME"]) / "connectors" / ".staging"
    assert list(staging.iterdir()) == []


def _blob(world: World, archive: Path) -> Path:
    sha = hashlib.sha256(archive.read_bytes()).hexdigest()
    return world.data / "blobs" / "sha256" / sha[:2] / sha[2:4] / sha


def test_tampered_blob_is_refused_and_old_install_kept(world: World) -> None:
    world.release("1.0.0")
    assert world.argent("marketplace", "install", "aos-airtable").returncode == 0
    before = world.snapshot()
    new = world.release("1.1.0")
    blob = _blob(world, new)
    data = bytearray(blob.read_bytes())
    data[len(data) // 2] ^= 0xFF
    blob.write_bytes(bytes(data))
    result = world.argent("marketplace", "update", "aos-airtable")
    assert result.returncode == 5
    assert result.stderr.strip().startswith("error[sha256-mismatch]")
    assert world.snapshot() == before


def test_package_signed_by_another_key_is_refused(world: World) -> None:
    """Storage and metadata both compromised: a well-formed package signed by a stranger."""
    world.release("1.0.0")
    assert world.argent("marketplace", "install", "aos-airtable").returncode == 0
    before = world.snapshot()
    stranger_env = base_env(world.tmp / "stranger")
    keygen = run_argent("marketplace", "keygen", env=stranger_env, cwd=world.tmp)
    folder = world.tmp / "evil"
    shutil.copytree(EXAMPLE, folder)
    doc = json.loads((folder / "argent.plugin.json").read_text())
    doc.update(
        version="1.1.0",
        author={"name": "Jane", "publicKey": keygen.stdout.strip().splitlines()[-1]},
    )
    (folder / "argent.plugin.json").write_text(json.dumps(doc))
    evil = world.tmp / "evil.argent-pkg"
    key = Path(stranger_env["ARGENTOS_HOME"]) / "keys" / "marketplace-ed25519.pem"
    assert (
        run_argent(
            "marketplace", "pack", folder, "-o", evil, "--key", key, env=stranger_env, cwd=world.tmp
        ).returncode
        == 0
    )
    genuine = world.release("1.1.0")
    db = sqlite3.connect(world.data / "marketplace.sqlite3")
    db.execute(
        "UPDATE versions SET sha256 = ?, size = ? WHERE version = '1.1.0'",
        (hashlib.sha256(evil.read_bytes()).hexdigest(), evil.stat().st_size),
    )
    db.commit()
    db.close()
    _blob(world, genuine).write_bytes(evil.read_bytes())
    result = world.argent("marketplace", "update", "aos-airtable")
    assert result.returncode == 5, result.stderr
    assert result.stderr.strip().startswith("error[unregistered-key]")
    assert world.snapshot() == before


def test_key_rotation_is_accepted_loudly(world: World) -> None:
    world.release("1.0.0")
    assert world.argent("marketplace", "install", "aos-airtable").returncode == 0
    world_before = world.snapshot()
    # The author registers a second key and signs the next release with it.
    keygen = run_argent(
        "marketplace", "keygen", "--out", world.tmp / "k2.pem", env=world.author_env, cwd=world.tmp
    )
    new_pub = keygen.stdout.strip().splitlines()[-1]
    config = json.loads((Path(world.author_env["ARGENTOS_HOME"]) / "marketplace.json").read_text())
    added = httpx.post(
        f"{world.url}/api/v1/authors/me/keys",
        json={"public_key": new_pub},
        headers={"Authorization": f"Bearer {config['token']}"},
    )
    assert added.status_code == 201
    (Path(world.author_env["ARGENTOS_HOME"]) / "author.pub").write_text(new_pub)
    key_file = Path(world.author_env["ARGENTOS_HOME"]) / "keys" / "marketplace-ed25519.pem"
    key_file.unlink()
    shutil.copy(world.tmp / "k2.pem", key_file)  # release() signs with the new key now
    world.release("1.1.0")
    # A key added minutes ago: the version waits for a moderator (SECURITY-CASES B8).
    assert world.argent("marketplace", "update", "aos-airtable").returncode == 0
    assert world.snapshot() == world_before
    admin = [str(BIN / "argent-marketplace"), "admin", "review"]
    pending = subprocess.run(
        [*admin, "list", "--json", "--data-dir", str(world.data)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    [held] = json.loads(pending.stdout)
    assert (held["version"], held["status"], held["findings"]) == ("1.1.0", "pending_review", 1)
    subprocess.run(
        [*admin, "approve", held["id"], "--reason", "key change confirmed with the author",
         "--data-dir", str(world.data)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    updated = world.argent("marketplace", "update", "aos-airtable")
    assert updated.returncode == 0, updated.stderr
    assert "rotated keys" in updated.stdout
    trust = json.loads(
        (Path(world.user_env["ARGENTOS_HOME"]) / "marketplace" / "trust.json").read_text()
    )
    assert trust["aos-airtable"]["public_key"] == new_pub


def test_rollback_offered_as_update_is_refused(world: World) -> None:
    world.release("1.0.0")
    world.release("1.1.0")
    assert world.argent("marketplace", "install", "aos-airtable").returncode == 0
    before = world.snapshot()
    # A malicious or stale server offers 1.0.0 as latest.
    db = sqlite3.connect(world.data / "marketplace.sqlite3")
    old_id = db.execute("SELECT id FROM versions WHERE version = '1.0.0'").fetchone()[0]
    db.execute("UPDATE packages SET latest_version_id = ?, latest_version = '1.0.0'", (old_id,))
    db.commit()
    db.close()
    result = world.argent("marketplace", "update", "aos-airtable")
    assert result.returncode == 3
    assert result.stderr.strip().startswith("error[downgrade-refused]")
    assert world.snapshot() == before
    explicit = world.argent("marketplace", "install", "aos-airtable@1.0.0", "--allow-downgrade")
    assert explicit.returncode == 0, explicit.stderr


def test_failure_mid_install_keeps_the_old_version(world: World) -> None:
    world.release("1.0.0")
    assert world.argent("marketplace", "install", "aos-airtable").returncode == 0
    before = world.snapshot()
    world.release("1.1.0")
    # A crash between moving the old version aside and moving the new one in: simulate the
    # state it leaves (journal written, old moved aside, target missing) and run again.
    home = Path(world.user_env["ARGENTOS_HOME"])
    stage = home / "connectors" / ".staging" / "crashed"
    stage.mkdir(parents=True)
    (stage / "journal.json").write_text(json.dumps({"target": str(world.installed())}))
    world.installed().rename(stage / "old")
    listed = world.argent("marketplace", "update", "aos-airtable", "--argentos-version", "2020.1")
    assert listed.returncode == 3  # the update itself is refused (incompatible) ...
    assert "incompatible-version" in listed.stderr
    assert world.snapshot() == before  # ... and the crashed swap was rolled back first
    assert not stage.exists()


def _crashed_stage(world: World, journal: str) -> Path:
    """The state a run killed mid-swap leaves: a journal, the old version moved aside."""
    stage = Path(world.user_env["ARGENTOS_HOME"]) / "connectors" / ".staging" / "killed"
    stage.mkdir(parents=True)
    (stage / "journal.json").write_text(journal)
    world.installed().rename(stage / "old")
    return stage


@pytest.mark.parametrize("journal", ["", '{"tar', "[]", "elsewhere", "other-spelling"])
def test_a_damaged_journal_does_not_block_the_next_run(world: World, journal: str) -> None:
    """A journal that is empty, cut, not an object or naming a folder outside
    ``connectors`` (SECURITY-CASES E6): the next run puts the old version back, by the
    name its install record gives, and never writes where the journal points."""
    world.release("1.0.0")
    assert world.argent("marketplace", "install", "aos-airtable").returncode == 0
    before = world.snapshot()
    elsewhere = world.tmp / "elsewhere"
    text = {
        "elsewhere": json.dumps({"target": str(elsewhere)}),
        # an older journal written through another spelling of the home (a symlink)
        "other-spelling": json.dumps({"target": "/via/a/link/connectors/aos-airtable"}),
    }.get(journal, journal)
    stage = _crashed_stage(world, text)
    listed = world.argent("marketplace", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    # list settles the crashed run first: the old version is back, and listed
    connectors = json.loads(listed.stdout)["result"]["connectors"]
    assert [c["name"] for c in connectors] == ["aos-airtable"]
    again = world.argent("marketplace", "install", "aos-airtable")
    assert again.returncode == 0, again.stderr
    assert "already installed" in again.stdout
    assert world.snapshot() == before and not stage.exists()
    assert not elsewhere.exists()
    uninstalled = world.argent("marketplace", "uninstall", "aos-airtable")
    assert uninstalled.returncode == 0, uninstalled.stderr


def test_a_folder_that_cannot_be_placed_is_kept_not_deleted(world: World) -> None:
    """A connector the ArgentOS client installed has no install record: with a damaged
    journal its place is unknown, so it is kept in connectors/.recovered, and said so."""
    connectors = Path(world.user_env["ARGENTOS_HOME"]) / "connectors"
    theirs = connectors / "aos-airtable"
    theirs.mkdir(parents=True)
    (theirs / "connector.json").write_text('{"tool": "airtable"}')
    _crashed_stage(world, '{"tar')
    world.release("1.0.0")
    result = world.argent("marketplace", "install", "aos-airtable")
    assert result.returncode == 0, result.stderr
    kept = connectors / ".recovered" / "killed" / "old" / "connector.json"
    assert kept.read_text() == '{"tool": "airtable"}'
    assert f"it is kept in {kept.parent.parent}" in result.stderr
    assert not (connectors / ".staging" / "killed").exists()


@pytest.mark.parametrize("state", ["swapping", "committed"])
def test_a_swap_counts_only_once_committed(world: World, state: str) -> None:
    """Killed after the new version moved in but before it committed (its harness still
    building): the new one goes and the old one comes back. Once committed, it stays."""
    world.release("1.0.0")
    assert world.argent("marketplace", "install", "aos-airtable").returncode == 0
    before = world.snapshot()
    stage = _crashed_stage(world, "")
    shutil.copytree(stage / "old", world.installed())  # the "new" version, half set up
    (world.installed() / "half-built").write_text("venv in progress")
    record_path = world.installed() / ".argent-install.json"
    record = json.loads(record_path.read_text())
    record_path.write_text(json.dumps({**record, "swap": "4f1d"}))  # the install that wrote it
    journal = {"name": "aos-airtable", "state": state, "swap": "4f1d"}
    (stage / "journal.json").write_text(json.dumps(journal))
    again = world.argent("marketplace", "install", "aos-airtable")
    assert again.returncode == 0, again.stderr
    assert "already installed" in again.stdout and not stage.exists()
    if state == "swapping":
        assert world.snapshot() == before  # the old version, and no trace of the new
    else:
        assert (world.installed() / "half-built").exists()  # the committed one stays


def test_a_folder_put_there_since_is_never_taken_for_the_new_version(world: World) -> None:
    """After a crash mid-swap, the user replaced the connector by hand (ext4 may even
    give it the new folder's inode): recovery keeps theirs, and the old version too."""
    world.release("1.0.0")
    assert world.argent("marketplace", "install", "aos-airtable").returncode == 0
    stage = _crashed_stage(world, json.dumps({"name": "aos-airtable", "state": "swapping",
                                              "swap": "4f1d"}))  # fmt: skip
    mine = world.installed()
    mine.mkdir()
    (mine / "MINE").write_text("put here by hand")
    listed = world.argent("marketplace", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert (mine / "MINE").read_text() == "put here by hand"
    kept = Path(world.user_env["ARGENTOS_HOME"]) / "connectors" / ".recovered" / stage.name
    assert (kept / "old" / ".argent-install.json").is_file() and not stage.exists()
    assert "it is kept in" in listed.stderr


def test_list_does_not_wait_for_a_running_install(world: World) -> None:
    """A stage with the lock held is an install at work, not a crash: list answers."""
    import fcntl

    world.release("1.0.0")
    assert world.argent("marketplace", "install", "aos-airtable").returncode == 0
    connectors = Path(world.user_env["ARGENTOS_HOME"]) / "connectors"
    (connectors / ".staging" / "running").mkdir(parents=True)
    with (connectors / ".lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # as a running install holds it
        listed = world.argent("marketplace", "list", "--json")
        fcntl.flock(lock, fcntl.LOCK_UN)
    assert listed.returncode == 0, listed.stderr
    assert [c["name"] for c in json.loads(listed.stdout)["result"]["connectors"]] == [
        "aos-airtable"
    ]
    assert (connectors / ".staging" / "running").exists()  # not the list's to touch


def test_a_connector_installed_by_other_means_is_replaced_only_with_force(world: World) -> None:
    """The ArgentOS installer writes no install record: its folder (venv, local files)
    is not replaced on a plain install."""
    world.release("1.0.0")
    theirs = world.installed()
    theirs.mkdir(parents=True)
    (theirs / "local-notes.txt").write_text("mine")
    refused = world.argent("marketplace", "install", "aos-airtable")
    assert refused.returncode == 3 and refused.stderr.startswith("error[not-ours]")
    assert "--force" in refused.stderr and (theirs / "local-notes.txt").exists()
    forced = world.argent("marketplace", "install", "aos-airtable", "--force")
    assert forced.returncode == 0, forced.stderr
    assert not (theirs / "local-notes.txt").exists()
    assert (theirs / ".argent-install.json").is_file()


def test_symlinked_target_is_not_followed(world: World) -> None:
    world.release("1.0.0")
    outside = world.tmp / "outside"
    outside.mkdir()
    connectors = Path(world.user_env["ARGENTOS_HOME"]) / "connectors"
    connectors.mkdir(parents=True)
    (connectors / "aos-airtable").symlink_to(outside)
    result = world.argent("marketplace", "install", "aos-airtable")
    assert result.returncode == 3 and "unsafe-target" in result.stderr
    assert list(outside.iterdir()) == []


def test_errors_are_clear(world: World) -> None:
    world.release("1.0.0", pricing="pro", price_cents=900)
    paid = world.argent("marketplace", "install", "aos-airtable")
    assert paid.returncode == 8 and paid.stderr.startswith("error[license-required]")
    missing = world.argent("marketplace", "install", "aos-nothing")
    assert missing.returncode == 8 and missing.stderr.startswith("error[not-found]")
    bad = world.argent("marketplace", "install", "../etc")
    assert bad.returncode == 3 and "invalid-name" in bad.stderr
    down = run_argent(
        "marketplace",
        "install",
        "aos-airtable",
        "--server",
        "http://127.0.0.1:9",
        env=world.user_env,
        cwd=world.tmp,
    )
    assert down.returncode == 7 and down.stderr.startswith("error[server-unreachable]")
    for result in (paid, missing, bad, down):
        assert len(result.stderr.strip().splitlines()) == 1


def test_offline_install_of_a_local_file(world: World) -> None:
    archive = world.release("1.0.0")
    unknown = run_argent("marketplace", "install", archive, env=world.user_env, cwd=world.tmp)
    assert unknown.returncode == 5 and "unknown-key" in unknown.stderr
    ok = run_argent(
        "marketplace",
        "install",
        archive,
        "--public-key",
        world.author_key(),
        env=world.user_env,
        cwd=world.tmp,
    )
    assert ok.returncode == 0, ok.stderr
    assert world.installed().is_dir()


def test_with_harness_builds_the_connectors_venv(world: World) -> None:
    """The success path of --with-harness: pip builds the harness from the package index."""
    world.release("1.0.0")
    done = world.argent("marketplace", "install", "aos-airtable", "--with-harness")
    if done.returncode != 0 and "harness-failed" in done.stderr and os.environ.get("CI") != "true":
        pytest.skip(f"building the harness needs the package index: {done.stderr.strip()}")
    assert done.returncode == 0, done.stderr
    venv = world.installed() / "agent-harness" / ".venv"
    tool = subprocess.run(
        [str(venv / "bin" / "aos-airtable"), "--help"], capture_output=True, text=True, check=False
    )
    assert tool.returncode == 0 and "Usage" in tool.stdout, tool.stderr
    record = json.loads((world.installed() / ".argent-install.json").read_text())
    assert record["harness"] is True and record["version"] == "1.0.0"
    # an update (without the flag) rebuilds the harness of the new version
    world.release("1.1.0")
    updated = world.argent("marketplace", "update", "aos-airtable")
    assert updated.returncode == 0, updated.stderr
    record = json.loads((world.installed() / ".argent-install.json").read_text())
    assert record["version"] == "1.1.0" and record["harness"] is True
    assert (venv / "bin" / "aos-airtable").is_file()


@pytest.fixture
def small_disk_world(world: World, tmp_path: Path) -> Iterator[World]:
    """The world, with the user's ARGENTOS_HOME on a 256 KiB tmpfs: room for one small
    connector, not for a large update beside it."""
    mount = tmp_path / "small-disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here (needs root): {done.stderr.strip()}")
    try:
        yield replace(world, user_env={**world.user_env, "ARGENTOS_HOME": str(mount / "home")})
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _install_first_release(world: World) -> dict[str, str]:
    """Publish and install 1.0.0; the snapshot of the installed files."""
    world.release("1.0.0")
    first = world.argent("marketplace", "install", "aos-airtable")
    assert first.returncode == 0, first.stderr
    return world.snapshot()


def test_a_full_disk_leaves_the_old_version_intact(small_disk_world: World) -> None:
    world = small_disk_world
    before = _install_first_release(world)
    # 1.1.0 carries 400 KB of recorded responses: it does not fit beside 1.0.0
    assets = world.tmp / "assets"
    assets.mkdir(exist_ok=True)
    lines = (f"- id: {os.urandom(24).hex()}\n" for _ in range(6_000))
    (assets / "records.yaml").write_text("".join(lines))
    cassette = "agent-harness/tests/cassettes/records.yaml"
    world.release("1.1.0", extra_files={cassette: assets / "records.yaml"})
    update = world.argent("marketplace", "update", "aos-airtable")
    assert update.returncode != 0
    [line] = update.stderr.strip().splitlines()
    assert line.startswith("error[") and "No space left on device" in line, line
    assert world.snapshot() == before
    home = world.installed().parents[1]
    leftovers = [p for p in home.rglob("*") if p.is_file() and world.installed() not in p.parents]
    assert {p.name for p in leftovers} <= {"trust.json", ".lock"}, leftovers  # no staging


def test_a_read_only_disk_is_a_clear_error(small_disk_world: World) -> None:
    """Permission problems (root ignores file modes, so: a read-only file system)."""
    world = small_disk_world
    before = _install_first_release(world)
    world.release("1.1.0")
    disk = world.installed().parents[2]
    subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
    update = world.argent("marketplace", "update", "aos-airtable")
    assert update.returncode != 0
    [line] = update.stderr.strip().splitlines()
    assert line.startswith("error[") and "Read-only file system" in line, line
    assert world.snapshot() == before
