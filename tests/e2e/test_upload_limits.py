"""A huge upload without Content-Length is refused while it streams (SECURITY-CASES C3)."""

from __future__ import annotations

import contextlib
import socket
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
