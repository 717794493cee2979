"""Small real servers on loopback for the client's HTTP tests: routes, TLS, a forward proxy."""

from __future__ import annotations

import datetime as dt
import http.client
import ipaddress
import select
import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


@dataclass(frozen=True)
class Seen:
    """One request as the server read it."""

    method: str
    path: str
    headers: dict[str, str]  # lower-case names
    body: bytes
    client_port: int


Route = tuple[int, dict[str, str], bytes]
NOT_FOUND: Route = (404, {}, b'{"error": {"code": "not-found", "message": "no such route"}}')


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False


class _QuietHandler(BaseHTTPRequestHandler):
    """HTTP/1.1 (keep-alive) and no access log on the test output."""

    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def serving(
    routes: dict[str, Route],
    *,
    tls: ssl.SSLContext | None = None,
    keep_alive: bool = True,
    on_request: Callable[[BaseHTTPRequestHandler], bool] | None = None,
) -> Iterator[tuple[str, list[Seen]]]:
    """Serve ``routes`` (path without query -> status, headers, body); yield URL and requests.

    ``keep_alive=False`` closes each connection after one answer *without* saying so
    (no ``Connection: close``), as a server whose idle timeout has passed does.
    ``on_request`` may answer a request itself (it returns True when it did).
    """
    seen: list[Seen] = []

    class Handler(_QuietHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            seen.append(
                Seen(
                    self.command,
                    self.path,
                    {k.lower(): v for k, v in self.headers.items()},
                    body,
                    self.client_address[1],
                )
            )
            if on_request is not None and on_request(self):
                return
            status, headers, payload = routes.get(self.path.split("?")[0], NOT_FOUND)
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
            self.wfile.flush()
            if not keep_alive:
                self.close_connection = True

        do_GET = do_POST = _answer

    httpd = _Server(("127.0.0.1", 0), Handler)
    if tls is not None:
        httpd.socket = tls.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"{'https' if tls else 'http'}://127.0.0.1:{httpd.server_address[1]}", seen
    finally:
        httpd.shutdown()
        httpd.server_close()


def make_tls(folder: Path) -> tuple[ssl.SSLContext, Path]:
    """A server context for 127.0.0.1 and localhost, and the PEM of the CA that signed it."""
    now = dt.datetime.now(dt.UTC)

    def build(
        subject: str,
        issuer: x509.Name,
        key: ec.EllipticCurvePrivateKey,
        signer: ec.EllipticCurvePrivateKey,
        ca: bool,
    ) -> x509.Certificate:
        builder = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
            .issuer_name(issuer)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(hours=1))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        )
        if not ca:
            names = [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
        return builder.sign(signer, hashes.SHA256())

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "argent test CA")])
    ca = build("argent test CA", ca_name, ca_key, ca_key, ca=True)
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    leaf = build("127.0.0.1", ca_name, leaf_key, ca_key, ca=False)
    ca_pem = folder / "ca.pem"
    ca_pem.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    chain = folder / "server.pem"
    chain.write_bytes(
        leaf.public_bytes(serialization.Encoding.PEM)
        + leaf_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(chain)
    return context, ca_pem


def _pipe(a: socket.socket, b: socket.socket) -> None:
    sockets = [a, b]
    while True:
        ready, _, _ = select.select(sockets, [], [], 10)
        if not ready:
            return
        for sock in ready:
            data = sock.recv(65536)
            if not data:
                return
            (b if sock is a else a).sendall(data)


@contextmanager
def forward_proxy() -> Iterator[tuple[str, list[Seen]]]:
    """An HTTP forward proxy: absolute-form requests and ``CONNECT`` tunnels."""
    seen: list[Seen] = []

    class Handler(_QuietHandler):
        def _record(self) -> None:
            headers = {k.lower(): v for k, v in self.headers.items()}
            seen.append(Seen(self.command, self.path, headers, b"", self.client_address[1]))

        def do_GET(self) -> None:
            self._record()
            url = urlsplit(self.path)
            upstream = http.client.HTTPConnection(url.hostname or "", url.port or 80, timeout=10)
            try:
                target = url.path + (f"?{url.query}" if url.query else "")
                upstream.request("GET", target, headers={"User-Agent": "via-proxy"})
                answer = upstream.getresponse()
                body = answer.read()
            finally:
                upstream.close()
            self.send_response(answer.status)
            for name in ("Content-Type", "Location"):
                if answer.getheader(name):
                    self.send_header(name, answer.getheader(name, ""))
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_CONNECT(self) -> None:
            self._record()
            host, _, port = self.path.rpartition(":")
            upstream = socket.create_connection((host, int(port)), timeout=10)
            self.send_response(200, "Connection established")
            self.end_headers()
            self.wfile.flush()
            try:
                _pipe(self.connection, upstream)
            finally:
                upstream.close()
                self.close_connection = True

    httpd = _Server(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", seen
    finally:
        httpd.shutdown()
        httpd.server_close()
