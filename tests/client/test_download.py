"""Downloads are bounded: endless data, trickling servers, captive portals (SECURITY E4, E5)."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from argent_marketplace.client.download import fetch_archive
from argent_marketplace.client.errors import DownloadFailed, InstallRefused

PAYLOAD = b"archive bytes " * 1000
SHA = hashlib.sha256(PAYLOAD).hexdigest()


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:  # keep test output clean
        pass

    def do_GET(self) -> None:
        mode = self.path.strip("/")
        if mode == "endless":
            self.send_response(200)
            self.end_headers()
            for _ in range(10_000):  # 640 MB at most; the client must stop long before
                try:
                    self.wfile.write(b"x" * 65536)
                except OSError:
                    return
            return
        if mode == "trickle":
            self.send_response(200)
            self.end_headers()
            for byte in PAYLOAD[:50]:
                try:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                except OSError:
                    return
                time.sleep(0.2)
            return
        body = {
            "ok": PAYLOAD,
            "portal": b"<html>Please log in to the Wi-Fi</html>" * 10,
            "short": PAYLOAD[:100],
        }.get(mode)
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_good_download(server: str, tmp_path: Path) -> None:
    seen: list[int] = []
    fetch_archive(
        f"{server}/ok", tmp_path / "a", size=len(PAYLOAD), sha256=SHA, progress=seen.append
    )
    assert (tmp_path / "a").read_bytes() == PAYLOAD and sum(seen) == len(PAYLOAD)


def test_endless_data_is_cut_at_the_announced_size(server: str, tmp_path: Path) -> None:
    with pytest.raises(DownloadFailed) as info:
        fetch_archive(f"{server}/endless", tmp_path / "a", size=len(PAYLOAD), sha256=SHA)
    assert info.value.code == "download-too-large"
    assert (tmp_path / "a").stat().st_size <= len(PAYLOAD)


def test_trickle_hits_the_overall_deadline(server: str, tmp_path: Path) -> None:
    started = time.monotonic()
    with pytest.raises(DownloadFailed) as info:
        fetch_archive(
            f"{server}/trickle", tmp_path / "a", size=len(PAYLOAD), sha256=SHA, deadline_seconds=1.0
        )
    assert info.value.code == "download-timeout"
    assert time.monotonic() - started < 5


def test_captive_portal_page_fails_the_checksum(server: str, tmp_path: Path) -> None:
    portal = b"<html>Please log in to the Wi-Fi</html>" * 10
    with pytest.raises(InstallRefused) as info:
        fetch_archive(f"{server}/portal", tmp_path / "a", size=len(portal), sha256=SHA)
    assert info.value.code == "sha256-mismatch"


def test_short_and_missing_downloads(server: str, tmp_path: Path) -> None:
    with pytest.raises(DownloadFailed) as short:
        fetch_archive(f"{server}/short", tmp_path / "a", size=len(PAYLOAD), sha256=SHA)
    assert short.value.code == "download-truncated"
    with pytest.raises(DownloadFailed) as missing:
        fetch_archive(f"{server}/nope", tmp_path / "b", size=1, sha256=SHA)
    assert missing.value.code == "download-http-error"
    with pytest.raises(DownloadFailed) as refused:
        fetch_archive("http://127.0.0.1:9/x", tmp_path / "c", size=1, sha256=SHA)
    assert refused.value.code == "download-interrupted"
