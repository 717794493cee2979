"""``argent marketplace publish`` when every scanner of the server is busy (503 + Retry-After).

The server here is a loopback stand-in that answers what the real one answers in that
case (tests/server/test_scan_workers.py shows the real server doing it).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from click.testing import Result
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

import argent_marketplace.client.api as api_module
import argent_marketplace.client.transport as transport
from argent_marketplace.client.api import MarketplaceApi
from argent_marketplace.client.errors import ServerUnreachable
from argent_marketplace.package.writer import pack_folder
from tests.client.loopback import serving

Argent = Callable[..., Result]


def _busy(retry_after: int) -> bytes:
    return json.dumps(
        {
            "error": {
                "code": "scanner-busy",
                "message": "every scanner is busy (waited 30 s)",
                "details": {"retry_after": retry_after},
                "hint": "publish again in a minute",
            }
        }
    ).encode()


ANSWER = {
    "status": "published",
    "id": "v1",
    "package_id": "p1",
    "name": "aos-airtable",
    "version": "1.0.0",
    "sha256": "0" * 64,
    "findings": [],
}


def _server(busy_times: int, retry_after: int) -> Callable[[BaseHTTPRequestHandler], bool]:
    calls = {"n": 0}

    def answer(handler: BaseHTTPRequestHandler) -> bool:
        calls["n"] += 1
        busy = calls["n"] <= busy_times
        payload = _busy(retry_after) if busy else json.dumps(ANSWER).encode()
        handler.send_response(503 if busy else 201)
        if busy:
            handler.send_header("Retry-After", str(retry_after))
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        handler.wfile.write(payload)
        return True

    return answer


def _archive(connector: Path, key: Ed25519PrivateKey, tmp_path: Path) -> Path:
    out = tmp_path / "pkg.argent-pkg"
    pack_folder(connector, out, key)
    return out


def _publish(
    argent: Argent, archive: Path, busy_times: int, retry_after: int
) -> tuple[Result, int]:
    """``argent marketplace publish`` against the stand-in; its result and requests seen."""
    with serving({}, on_request=_server(busy_times, retry_after)) as (url, seen):
        result = argent("marketplace", "publish", archive, "--server", url, "--token", "t")
    return result, len(seen)


def test_publish_waits_and_retries_when_the_scanners_are_busy(
    argent: Argent, connector: Path, key: Ed25519PrivateKey, tmp_path: Path
) -> None:
    result, requests = _publish(argent, _archive(connector, key, tmp_path), 2, retry_after=1)
    assert result.exit_code == 0, result.output
    assert "aos-airtable 1.0.0: published" in result.stdout
    assert result.stderr.count("busy scanning other packages; publishing again in 1 s") == 2
    assert requests == 3


def test_publish_gives_up_after_two_retries(
    argent: Argent, connector: Path, key: Ed25519PrivateKey, tmp_path: Path
) -> None:
    result, requests = _publish(argent, _archive(connector, key, tmp_path), 5, retry_after=1)
    assert result.exit_code == 8
    assert "error[scanner-busy]: every scanner is busy" in result.stderr
    assert requests == 3


def test_publish_does_not_wait_long(
    argent: Argent, connector: Path, key: Ed25519PrivateKey, tmp_path: Path
) -> None:
    result, requests = _publish(argent, _archive(connector, key, tmp_path), 1, retry_after=600)
    assert result.exit_code == 8
    assert "error[scanner-busy]" in result.stderr
    assert requests == 1


def test_publish_waits_longer_than_other_requests(
    monkeypatch: pytest.MonkeyPatch, connector: Path, key: Ed25519PrivateKey, tmp_path: Path
) -> None:
    """The server scans before it answers: a publish has its own, longer read timeout."""
    monkeypatch.setattr(transport, "READ_TIMEOUT", 0.3)
    monkeypatch.setattr(api_module, "PUBLISH_READ_TIMEOUT", 5.0)
    archive = _archive(connector, key, tmp_path)

    def slow(handler: BaseHTTPRequestHandler) -> bool:
        time.sleep(0.8)  # longer than READ_TIMEOUT, shorter than PUBLISH_READ_TIMEOUT
        return _server(busy_times=0, retry_after=1)(handler)

    with serving({}, on_request=slow) as (url, _seen), MarketplaceApi(url, "t") as api:
        assert api.publish(archive)["status"] == "published"
        with pytest.raises(ServerUnreachable, match=r"no answer within 0\.3 s"):
            api.search(q="air")  # the connection's usual timeout is back
