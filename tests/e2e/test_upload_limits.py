"""Oversized requests are refused while they arrive (SECURITY-CASES C3), and logging."""

from __future__ import annotations

import contextlib
import socket
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from tests.e2e.servers import base_env, running_server


def test_chunked_upload_is_refused_before_it_ends(tmp_path: Path) -> None:
    env = base_env(tmp_path / "home")
    with running_server(["--data-dir", str(tmp_path / "data")], env, tmp_path / "s.log") as url:
        host = urlsplit(url)
        sock = socket.create_connection((host.hostname, host.port), timeout=10)
        head = (
            "POST /api/v1/publish HTTP/1.1\r\n"
            f"Host: {host.netloc}\r\n"
            "Authorization: Bearer amp_x\r\n"
            "Content-Type: multipart/form-data; boundary=b\r\n"
            "Transfer-Encoding: chunked\r\n\r\n"
        )
        part = b'--b\r\nContent-Disposition: form-data; name="package"; filename="p"\r\n\r\n'
        chunk = b"x" * 65536
        sent = 0
        answer = b""
        try:
            sock.sendall(head.encode() + b"%x\r\n%s\r\n" % (len(part), part))
            for _ in range(640):  # up to 40 MiB, eight times the 5 MiB cap
                sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                sent += len(chunk)
                sock.settimeout(0.001)
                with contextlib.suppress(TimeoutError, BlockingIOError):
                    answer += sock.recv(65536)
                sock.settimeout(10)
                if answer:
                    break
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server hung up: that is the point
        sock.settimeout(10)
        with contextlib.suppress(OSError):
            while b"package-too-large" not in answer and (more := sock.recv(65536)):
                answer += more
        sock.close()
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b"package-too-large" in answer
    assert sent < 20 * 1024 * 1024  # refused long before the end of the body


def test_huge_header_block_is_refused_and_the_server_lives_on(tmp_path: Path) -> None:
    """A 10 MB header is cut off while it arrives (h11's 16 KiB bound), not buffered whole."""
    env = base_env(tmp_path / "home")
    with running_server(["--data-dir", str(tmp_path / "data")], env, tmp_path / "s.log") as url:
        host = urlsplit(url)
        sock = socket.create_connection((host.hostname, host.port), timeout=10)
        answer = b""
        try:
            sock.sendall(f"GET /healthz HTTP/1.1\r\nHost: {host.netloc}\r\nX-Big: ".encode())
            for _ in range(160):  # 10 MiB in 64 KiB pieces
                sock.sendall(b"a" * 65536)
            sock.sendall(b"\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server hung up: that is the point
        with contextlib.suppress(OSError):
            answer = sock.recv(65536)
        sock.close()
        assert not answer.startswith(b"HTTP/1.1 200"), answer[:200]
        with urllib.request.urlopen(f"{url}/healthz", timeout=10) as response:
            assert response.status == 200


def test_access_log_can_be_turned_off(tmp_path: Path) -> None:
    env = {**base_env(tmp_path / "home"), "ARGENT_MARKETPLACE_ACCESS_LOG": "0"}
    log = tmp_path / "s.log"
    with running_server(["--data-dir", str(tmp_path / "data")], env, log) as url:
        for _ in range(3):
            with urllib.request.urlopen(f"{url}/healthz", timeout=10) as response:
                assert response.status == 200
    assert "GET /healthz" not in log.read_text()
    with running_server(["--data-dir", str(tmp_path / "data")], base_env(tmp_path), log) as url:
        urllib.request.urlopen(f"{url}/healthz", timeout=10).close()
    assert "GET /healthz" in log.read_text()
