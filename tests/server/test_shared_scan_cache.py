"""The shared scan cache: files an earlier publish scanned are not analysed again by any
server process, and the verdict is the one a full scan gives."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from argent_marketplace.publish.scan_cache import SharedScanCache
from argent_marketplace.scan import PackageScanner, ScanContext
from argent_marketplace.scan.inputs import read_package_files
from argent_marketplace.scan.workers import ProcessScanner
from argent_marketplace.server.app import create_app
from argent_marketplace.server.settings import Settings
from tests.server.conftest import Market

HELPER = b"import json\n\ndef load(s):\n    return json.loads(s)\n"
SHELL = b"import subprocess\n\ndef run(cmd):\n    subprocess.run(cmd, shell=True)\n"


def _keys(market: Market) -> set[str]:
    with market.services.engine.connect() as conn:
        from sqlalchemy import text

        return set(conn.execute(text("SELECT key FROM scan_cache")).scalars())


def test_a_new_version_reuses_the_files_of_the_last_one(local_market: Market) -> None:
    market = local_market
    token = market.register()
    first = market.publish(token, market.package(token, files={"agent-harness/h.py": HELPER}))
    assert first.status_code == 201 and first.json()["status"] == "published"
    after_first = _keys(market)
    assert len(after_first) >= 5  # every file the scan analysed, the helper included
    changed = {"agent-harness/h.py": HELPER + b"\n# 1.0.1\n"}
    archive = market.package(token, version="1.0.1", files=changed)
    cache = market.services.scan_cache
    assert cache is not None
    files = read_package_files(archive, market.services.limits).files
    _keys_of, known = cache.known(files)
    # the lookup finds every file the new version did not change
    unchanged = {"README.md", "agent-harness/pyproject.toml", "permissions.json"} & set(files)
    assert unchanged and unchanged <= set(known)
    assert "agent-harness/h.py" not in known and "argent.plugin.json" not in known
    second = market.publish(token, archive)
    assert second.status_code == 201 and second.json()["status"] == "published"
    added = _keys(market) - after_first
    # the changed helper, and what every new version changes: the manifest, connector.json
    # (their version numbers), SHA256SUMS and SIGNATURE; README and harness files are known
    assert 1 <= len(added) <= 5 < len(after_first), added


def test_a_finding_in_an_unchanged_file_still_counts(local_market: Market) -> None:
    market = local_market
    token = market.register()
    bad = {"agent-harness/run.py": SHELL}
    first = market.publish(token, market.package(token, permissions=["subprocess"], files=bad))
    assert first.json()["status"] == "flagged"
    again = market.package(token, version="1.0.1", permissions=["subprocess"], files=bad)
    second = market.publish(token, again)
    assert second.status_code == 201 and second.json()["status"] == "flagged"
    rules = {(f["rule"], f["file"]) for f in second.json()["findings"]}
    assert ("shell-injection", "agent-harness/run.py") in rules


def test_another_server_process_reads_what_the_first_one_learned(
    local_market: Market, tmp_path: Path
) -> None:
    """A second app on the same database stands in for another server process."""
    market = local_market
    token = market.register()
    market.publish(token, market.package(token, files={"agent-harness/h.py": HELPER}))
    learned = _keys(market)
    settings = Settings(
        data_dir=tmp_path / "data",
        database_url=market.services.settings.database_url,
        scan_workers=0,  # its own scanner, in its own memory: nothing cached there
    )
    other = create_app(settings, clock=market.clock)
    with TestClient(other) as client:
        archive = market.package(token, version="1.0.1", files={"agent-harness/h.py": HELPER})
        response = client.post(
            "/api/v1/publish",
            headers={"Authorization": f"Bearer {token}"},
            files={"package": ("p.argent-pkg", archive.read_bytes())},
        )
        assert response.status_code == 201 and response.json()["status"] == "published"
        scanner = other.state.services.scanner
        # this process's scanner analysed only what every new version changes (manifest,
        # connector.json, SHA256SUMS, SIGNATURE), not the harness it had never seen
        assert scanner.cache is not None and scanner.cache.misses <= 4 < len(learned)
    other.state.services.engine.dispose()
    assert len(_keys(market) - learned) <= 4


def test_the_cache_keeps_about_its_capacity(local_market: Market) -> None:
    engine = local_market.services.engine
    cache = SharedScanCache(engine, "fingerprint", capacity=5)
    now = datetime(2026, 11, 26, tzinfo=UTC)
    for i in range(12):
        cache.record({cache.key(f"f{i}.py", b"x"): "{}"}, now)
    cache.record({cache.key("f11.py", b"x"): "{}"}, now)  # already there: ignored
    keys, known = cache.known({f"f{i}.py": b"x" for i in range(12)})
    assert len(known) <= 5 and "f11.py" in known and "f0.py" not in known
    assert keys["f0.py"] != SharedScanCache(engine, "other").key("f0.py", b"x")


def test_the_cache_can_be_turned_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARGENT_MARKETPLACE_SCAN_CACHE_FILES", "0")
    settings = Settings.from_env(tmp_path / "data")
    assert settings.scan_cache_files == 0
    app = create_app(settings)
    assert app.state.services.scan_cache is None
    app.state.services.engine.dispose()


def test_a_scan_worker_uses_records_of_its_own_fingerprint_only() -> None:
    """Proof that a worker skips a known file: its record, not its bytes, decides."""
    path = "agent-harness/run.py"
    learned: dict[str, str] = {}
    PackageScanner().report({path: SHELL}, ("subprocess",), ScanContext(learned=learned))
    own = PackageScanner.from_environment().fingerprint
    scanner = ProcessScanner(1)
    try:
        # the record of the shell call now stands for a harmless file at that path
        used = scanner.scan(
            {path: HELPER}, ("subprocess",), ScanContext(known=learned, fingerprint=own)
        )
        assert any(f.rule == "shell-injection" for f in used)
        relearned: dict[str, str] = {}
        context = ScanContext(known=learned, fingerprint="another release", learned=relearned)
        ignored = scanner.scan({path: HELPER}, ("subprocess",), context)
        assert not any(f.rule == "shell-injection" for f in ignored)
        assert relearned == {}
    finally:
        scanner.close()
