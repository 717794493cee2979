"""Scans in worker processes: same findings, and every failure fails closed (H2).

A worker that crashes, hangs past the hard limit or raises answers a 503 and
nothing is stored; the next publish gets a new worker. When every worker is busy
past the queue wait, the publish answers 503 ``scanner-busy`` with ``Retry-After``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from argent_marketplace.scan.scanner import PackageScanner
from argent_marketplace.scan.workers import ProcessScanner
from argent_marketplace.server.app import create_app
from argent_marketplace.server.settings import Settings
from tests.server.conftest import Clock, Market
from tests.server.scan_faults import CRASH, HANG, RAISE, SPIN
from tests.server.test_publish import _nothing_stored

EVIL = b"import base64\n\n\ndef boot():\n    exec(base64.b64decode('cHJpbnQoMSk='))\n"
HARD_LIMIT = 4.0


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A killed child stays a zombie until reaped: look at its state too.
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture
def faulty(sqlite_market: Market) -> Iterator[tuple[Market, ProcessScanner]]:
    """The embedded marketplace whose one scan worker can be made to fail."""
    scanner = ProcessScanner(
        1, timeout=HARD_LIMIT, queue_wait=0.5, factory="tests.server.scan_faults:faulty"
    )
    app = sqlite_market.client.app
    app.state.services = replace(app.state.services, scanner=scanner)  # type: ignore[attr-defined]
    sqlite_market.services = app.state.services  # type: ignore[attr-defined]
    scanner.start()
    yield sqlite_market, scanner
    scanner.close()


def _error(response: object) -> dict[str, object]:
    body = response.json()  # type: ignore[attr-defined]
    return dict(body["error"])


def test_the_server_scans_in_a_worker_process(market: Market, tmp_path: Path) -> None:
    scanner = market.services.scanner
    assert isinstance(scanner, ProcessScanner)
    token = market.register()
    body = market.publish(token, market.package(token, files={"agent-harness/boot.py": EVIL}))
    assert body.status_code == 201, body.text
    assert scanner.pids() and os.getpid() not in scanner.pids()
    # The same package scanned in the serving process gives the same answer.
    with _in_process_market(tmp_path / "inproc") as other:
        assert isinstance(other.services.scanner, PackageScanner)
        token2 = other.register(key=market.key_of(token))
        inproc = other.publish(token2, market.package(token, files={"agent-harness/boot.py": EVIL}))
    assert body.json()["status"] == inproc.json()["status"] == "flagged"
    assert body.json()["findings"] == inproc.json()["findings"]


@contextmanager
def _in_process_market(path: Path) -> Iterator[Market]:
    """The embedded marketplace with ``scan_workers=0``: scans in the serving process."""
    clock = Clock()
    app = create_app(Settings(data_dir=path / "data", scan_workers=0), clock=clock)
    path.mkdir(parents=True, exist_ok=True)
    with TestClient(app) as client:
        yield Market(client, app.state.services, clock, path)
    app.state.services.engine.dispose()


def test_a_crashed_worker_fails_closed_then_is_replaced(
    faulty: tuple[Market, ProcessScanner],
) -> None:
    market, scanner = faulty
    token = market.register()
    (first_pid,) = scanner.pids()
    response = market.publish(token, market.package(token, files={CRASH: b"x = 1\n"}))
    assert response.status_code == 503
    assert _error(response)["code"] == "scanner-failed"
    assert "nothing was published" in str(_error(response)["message"])
    _nothing_stored(market)
    assert not _alive(first_pid)
    again = market.publish(token, market.package(token))
    assert again.status_code == 201 and again.json()["status"] == "published"
    assert scanner.pids() and scanner.pids()[0] != first_pid


def test_a_scan_past_the_hard_limit_is_killed(faulty: tuple[Market, ProcessScanner]) -> None:
    market, scanner = faulty
    token = market.register()
    (pid,) = scanner.pids()
    started = time.monotonic()
    response = market.publish(token, market.package(token, files={HANG: b"x = 1\n"}))
    assert HARD_LIMIT <= time.monotonic() - started < HARD_LIMIT + 10
    assert response.status_code == 503
    assert _error(response)["code"] == "scan-timeout"
    _nothing_stored(market)
    assert not _alive(pid)
    assert market.publish(token, market.package(token)).status_code == 201


def test_an_error_in_the_scanner_fails_closed(faulty: tuple[Market, ProcessScanner]) -> None:
    market, scanner = faulty
    token = market.register()
    (pid,) = scanner.pids()
    response = market.publish(token, market.package(token, files={RAISE: b"x = 1\n"}))
    assert response.status_code == 503
    assert _error(response)["code"] == "scanner-failed"
    _nothing_stored(market)
    assert scanner.pids() == [pid]  # an error is an answer: the worker goes on
    assert market.publish(token, market.package(token)).status_code == 201


def _wait_for(path: Path, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.02)


def _in_background(market: Market, token: str, archive: Path) -> tuple[threading.Thread, list[int]]:
    """Publish ``archive`` in a thread; the list gets its status code."""
    results: list[int] = []
    thread = threading.Thread(
        target=lambda: results.append(market.publish(token, archive).status_code)
    )
    thread.start()
    return thread, results


def test_a_busy_scanner_answers_503_with_retry_after(
    faulty: tuple[Market, ProcessScanner], tmp_path: Path
) -> None:
    market, _scanner = faulty
    token = market.register()
    marker = tmp_path / "hanging"
    hanging = market.package(token, files={HANG: str(marker).encode()})
    clean = market.package(token, name="aos-other-thing")
    blocker, results = _in_background(market, token, hanging)
    _wait_for(marker)  # the only worker is now stuck on the hanging package
    busy = market.publish(token, clean)
    blocker.join()
    assert busy.status_code == 503
    assert _error(busy)["code"] == "scanner-busy"
    assert busy.headers["Retry-After"].isdigit()
    assert results == [503]
    _nothing_stored(market)
    assert market.publish(token, clean).status_code == 201


def test_reads_are_answered_while_a_scan_computes(
    faulty: tuple[Market, ProcessScanner], tmp_path: Path
) -> None:
    """A scan that holds its GIL for seconds does not hold the serving process's."""
    market, _scanner = faulty
    token = market.register()
    marker = tmp_path / "spinning"
    spinning = market.package(token, files={SPIN: str(marker).encode()})
    blocker, results = _in_background(market, token, spinning)
    _wait_for(marker)
    started = time.monotonic()
    for _ in range(5):
        assert market.client.get("/api/v1/catalog?q=air").status_code == 200
    elapsed = time.monotonic() - started
    still_scanning = blocker.is_alive()
    blocker.join()
    assert results == [201]
    assert still_scanning, "the scan ended before the reads did: the test proved nothing"
    assert elapsed < 2.0


def test_a_worker_killed_while_idle_is_replaced(faulty: tuple[Market, ProcessScanner]) -> None:
    market, scanner = faulty
    token = market.register()
    (pid,) = scanner.pids()
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.02)
    response = market.publish(token, market.package(token))
    assert response.status_code == 201, response.text
    assert scanner.pids() and scanner.pids()[0] != pid


def test_a_worker_that_cannot_start_fails_closed(sqlite_market: Market) -> None:
    scanner = ProcessScanner(1, factory="tests.server.scan_faults:broken_start")
    app = sqlite_market.client.app
    app.state.services = replace(app.state.services, scanner=scanner)  # type: ignore[attr-defined]
    sqlite_market.services = app.state.services  # type: ignore[attr-defined]
    token = sqlite_market.register()
    response = sqlite_market.publish(token, sqlite_market.package(token))
    assert response.status_code == 503
    assert _error(response)["code"] == "scanner-failed"
    _nothing_stored(sqlite_market)
    assert scanner.pids() == []


def test_a_worker_gets_none_of_the_servers_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    """It reads hostile input: the server's secret, database URL and S3 keys stay out."""
    monkeypatch.setenv("ARGENT_MARKETPLACE_SECRET", "s3cr3t-hmac-key")
    monkeypatch.setenv("ARGENT_MARKETPLACE_DATABASE_URL", "postgresql://u:pa55word@db/market")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "aws-s3cr3t")
    scanner = ProcessScanner(1)
    try:
        scanner.start()
        (pid,) = scanner.pids()
        environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    finally:
        scanner.close()
    assert not [v for v in environ if b"s3cr3t" in v or b"pa55word" in v]
    assert any(v.startswith(b"PATH=") for v in environ)


def test_workers_stop_with_the_server_process(tmp_path: Path) -> None:
    """A server that exits (even killed) leaves no scan worker behind."""
    code = (
        "import sys, time\n"
        "from argent_marketplace.scan.workers import ProcessScanner\n"
        "s = ProcessScanner(1); s.start(); print(s.pids()[0], flush=True)\n"
        "time.sleep(60)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    with proc.stdout:
        pid = int(proc.stdout.readline())
    assert _alive(pid)
    proc.kill()
    proc.wait()
    deadline = time.monotonic() + 10
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(pid)


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("ARGENT_MARKETPLACE_AUTH_FAILURES_PER_ADDRESS", "lots"),
        ("ARGENT_MARKETPLACE_REGISTRATIONS_PER_ADDRESS", "-3"),
        ("ARGENT_MARKETPLACE_SCAN_WORKERS", "two"),
        ("ARGENT_MARKETPLACE_SCAN_WORKERS", "1.5"),
        ("ARGENT_MARKETPLACE_SCAN_WORKERS", "-1"),
        ("ARGENT_MARKETPLACE_SCAN_TIMEOUT", "0"),
        ("ARGENT_MARKETPLACE_SCAN_QUEUE_SECONDS", "soon"),
    ],
)
def test_a_bad_setting_is_refused_at_start(tmp_path: Path, variable: str, value: str) -> None:
    result = subprocess.run(
        [str(Path(sys.executable).parent / "argent-marketplace"), "admin", "review", "list"],
        env={variable: value, "PATH": "/usr/bin:/bin"},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.startswith(f"error[bad-setting]: {variable}")


def test_no_queue_wait_still_publishes_when_a_slot_is_free(tmp_path: Path) -> None:
    """``ARGENT_MARKETPLACE_SCAN_QUEUE_SECONDS=0``: a free publish slot is taken at once."""
    settings = Settings(data_dir=tmp_path / "data", scan_queue_seconds=0, scan_workers=0)
    app = create_app(settings)
    tmp_path.joinpath("w").mkdir()
    with TestClient(app) as client:
        market = Market(client, app.state.services, Clock(), tmp_path / "w")
        token = market.register()
        assert market.publish(token, market.package(token)).status_code == 201
    app.state.services.engine.dispose()


def test_zero_workers_scans_in_the_serving_process(tmp_path: Path) -> None:
    with _in_process_market(tmp_path / "m") as market:
        assert isinstance(market.services.scanner, PackageScanner)
        token = market.register()
        assert market.publish(token, market.package(token)).json()["status"] == "published"


def test_apps_of_one_process_share_their_workers(tmp_path: Path) -> None:
    """One pool per process and configuration (tests build hundreds of apps)."""
    apps = [create_app(Settings(data_dir=tmp_path / name)) for name in ("a", "b")]
    assert apps[0].state.services.scanner is apps[1].state.services.scanner
    for app in apps:
        app.state.services.engine.dispose()
