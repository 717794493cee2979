"""HTTP/1.1 for the client, on the standard library's :mod:`http.client`.

httpx cost every ``argent`` command that talks to a server about 100 ms of imports
(httpcore, h11, anyio, and rich and pygments through ``httpx._main``) and a CA
bundle load per client. The client needs little: JSON requests over one
kept-alive connection, one streamed GET that follows redirects, a multipart
upload. What it does, as it did with httpx:

* Timeouts: 5 s to connect (TCP, proxy tunnel and TLS handshake), then 30 s for
  each read or write.
* ``https://`` is verified against the system's CA store (``SSL_CERT_FILE`` and
  ``SSL_CERT_DIR`` are honoured) with one TLS context per process, made on the
  first ``https://`` connection: a plain ``http://`` server costs none.
* Proxies come from the environment (:mod:`client.proxy`).
* Redirects are followed by :func:`stream` only (the API's JSON calls never
  followed them): 301, 302, 303, 307 and 308, up to 20, to any host, port or
  scheme. ``Authorization`` and ``X-License-Key`` are not sent to another origin.

Every transport failure raises :class:`TransportError`, whose message says in a
few words what went wrong ("connection refused", "no answer within 30 s", ...).
"""

from __future__ import annotations

import http.client
import os
import re
import select
import socket
import ssl
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from functools import lru_cache
from typing import BinaryIO, NamedTuple
from urllib.parse import quote, urlencode, urljoin, urlsplit

from argent_marketplace.client.proxy import ProxyConfigError, proxy_for

__all__ = [
    "CONNECT_TIMEOUT",
    "READ_TIMEOUT",
    "Response",
    "Session",
    "Stream",
    "TransportError",
    "multipart",
    "stream",
    "tls_context",
]

CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 30.0
MAX_REDIRECTS = 20
_PORTS = {"http": 80, "https": 443}
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_CREDENTIALS = frozenset({"authorization", "x-license-key"})
_SAFE = "!#$%&'()*+,/:;=?@[]~"  # kept as they are in a path or query; the rest is %-encoded
_STALE = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)


class TransportError(Exception):
    """No usable HTTP answer: the message says why, in a few words."""


class AnswerTooLarge(TransportError):
    """An API answer over :data:`MAX_ANSWER_BYTES` (downloads have their own cap)."""


# Every API answer is small JSON (a catalog page, a package's details); a server that
# sends more is broken or hostile, and reading it whole would exhaust memory.
MAX_ANSWER_BYTES = 16 * 1024 * 1024


@lru_cache(maxsize=1)
def tls_context() -> ssl.SSLContext:
    """One verifying TLS context per process: loading the CA store costs ~18 ms each time."""
    return ssl.create_default_context()


def _describe(exc: BaseException, *, connecting: bool, read_timeout: float | None = None) -> str:
    if isinstance(exc, TimeoutError):
        if connecting:
            return f"no connection within {CONNECT_TIMEOUT:g} s"
        return f"no answer within {read_timeout or READ_TIMEOUT:g} s"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"TLS certificate not accepted: {exc.verify_message}"
    if isinstance(exc, ssl.SSLError):
        return f"TLS failed: {exc.reason or exc}"
    if isinstance(exc, socket.gaierror):
        return f"host not found ({exc.strerror})"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, http.client.RemoteDisconnected):
        return "the server closed the connection without answering"
    if isinstance(exc, http.client.HTTPException):
        return f"not a valid HTTP answer ({type(exc).__name__})"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror[:1].lower() + exc.strerror[1:]
    return str(exc) or type(exc).__name__


class _Connection(http.client.HTTPConnection):
    """Connects within ``CONNECT_TIMEOUT``, then allows ``READ_TIMEOUT`` per read or write."""

    prefix = ""  # "http://host:port" when requests go to a proxy in absolute form
    proxy_headers: dict[str, str] = {}  # noqa: RUF012 - replaced per instance, never mutated

    def connect(self) -> None:
        super().connect()
        self.sock.settimeout(READ_TIMEOUT)


class _TLSConnection(http.client.HTTPSConnection):
    prefix = ""
    proxy_headers: dict[str, str] = {}  # noqa: RUF012

    def connect(self) -> None:
        super().connect()
        self.sock.settimeout(READ_TIMEOUT)


Connection = _Connection | _TLSConnection


def _split(url: str) -> tuple[str, str, int, str]:
    """``(scheme, host, port, path?query)`` of an ``http(s)://`` URL."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        raise TransportError(f"invalid port in {url}") from None
    if scheme not in _PORTS or not parts.hostname:
        raise TransportError(f"not an http:// or https:// URL: {url}")
    target = quote(parts.path or "/", safe=_SAFE)
    if parts.query:
        target += "?" + quote(parts.query, safe=_SAFE)
    return scheme, parts.hostname, port or _PORTS[scheme], target


def _authority(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _open(scheme: str, host: str, port: int) -> Connection:
    """A connected connection to ``host:port``, through the environment's proxy if any."""
    try:
        proxy = proxy_for(scheme, host, port)
    except ProxyConfigError as exc:
        raise TransportError(str(exc)) from None
    to_host, to_port = (proxy.host, proxy.port) if proxy else (host, port)
    conn: Connection
    if scheme == "https":
        conn = _TLSConnection(to_host, to_port, timeout=CONNECT_TIMEOUT, context=tls_context())
        if proxy:
            tunnel = {"Host": _authority(host, port)}
            if proxy.authorization:
                tunnel["Proxy-Authorization"] = proxy.authorization
            conn.set_tunnel(host, port, tunnel)
    else:
        conn = _Connection(to_host, to_port, timeout=CONNECT_TIMEOUT)
        if proxy:
            conn.prefix = f"http://{_authority(host, port)}"
            if proxy.authorization:
                conn.proxy_headers = {"Proxy-Authorization": proxy.authorization}
    try:
        conn.connect()
    except (OSError, http.client.HTTPException) as exc:
        conn.close()
        raise TransportError(_describe(exc, connecting=True)) from exc
    return conn


def _dropped(sock: socket.socket | None) -> bool:
    """Whether an idle kept-alive socket was closed by the server (it reads as ready)."""
    if sock is None:
        return True
    if isinstance(sock, ssl.SSLSocket) and sock.pending():
        return True
    try:
        return bool(select.select([sock], [], [], 0)[0])
    except (OSError, ValueError):
        return True


class Response(NamedTuple):  # not a dataclass: ~0.3 ms less at start-up
    """A whole answer."""

    status: int
    headers: http.client.HTTPMessage
    body: bytes


class Session:
    """Requests to the server at ``base_url``, over one kept-alive connection.

    Nothing happens on the network before the first request.
    """

    def __init__(self, base_url: str, headers: dict[str, str]) -> None:
        self.base_url = base_url
        self.headers = headers
        self._conn: Connection | None = None

    def close(self) -> None:
        """Close the connection, if one is open."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str | int] | None = None,
        headers: dict[str, str] | None = None,
        body: bytes | Iterator[bytes] | None = None,
        read_timeout: float | None = None,
    ) -> Response:
        """Send ``method base_url+path?params`` and read the whole answer.

        ``read_timeout`` bounds the wait for the answer when it is not the usual
        ``READ_TIMEOUT`` (a publish is scanned before it is answered).

        Raises:
            TransportError: No connection, no answer, or not HTTP.
        """
        scheme, host, port, base = _split(self.base_url)
        target = base.split("?", 1)[0].rstrip("/") + path
        if params:
            target += "?" + urlencode(params)
        sent = {**self.headers, **(headers or {})}
        conn = self._conn
        reused = conn is not None and not _dropped(conn.sock)
        if conn is None or not reused:
            self.close()
            conn = self._conn = _open(scheme, host, port)
        response: http.client.HTTPResponse | None = None
        try:
            conn.request(method, conn.prefix + target, body, {**sent, **conn.proxy_headers})
            if read_timeout is not None and conn.sock is not None:
                conn.sock.settimeout(read_timeout)
            try:
                response = conn.getresponse()
                data = response.read(MAX_ANSWER_BYTES + 1)
            finally:  # the kept-alive connection's next request has the usual timeout
                if read_timeout is not None and conn.sock is not None:
                    conn.sock.settimeout(READ_TIMEOUT)
        except (OSError, http.client.HTTPException) as exc:
            if response is not None:  # it owns the socket when the server closes after it
                response.close()
            self.close()
            if reused and method == "GET" and isinstance(exc, _STALE):
                # The server closed the idle connection just as it was reused: once more.
                return self.request(method, path, params=params, headers=headers)
            raise TransportError(
                _describe(exc, connecting=False, read_timeout=read_timeout)
            ) from exc
        if len(data) > MAX_ANSWER_BYTES:
            response.close()
            self.close()
            raise AnswerTooLarge(f"an answer of more than {MAX_ANSWER_BYTES // 2**20} MiB")
        if response.will_close:
            self.close()
        return Response(response.status, response.headers, data)


class Stream:
    """An answer whose body is read in chunks."""

    def __init__(self, response: http.client.HTTPResponse) -> None:
        self.status = response.status
        self.headers = response.headers
        self._response = response

    def chunks(self, size: int = 65536) -> Iterator[bytes]:
        """The body as it arrives (de-chunked, never decompressed).

        Raises:
            TransportError: The connection broke or timed out.
        """
        while True:
            try:
                chunk = self._response.read1(size)
            except (OSError, http.client.HTTPException) as exc:
                raise TransportError(_describe(exc, connecting=False)) from exc
            if not chunk:
                return
            yield chunk


def _origin(url: str) -> tuple[str, str, int]:
    return _split(url)[:3]


@contextmanager
def stream(
    url: str,
    headers: dict[str, str],
    *,
    on_socket: Callable[[socket.socket], None] | None = None,
) -> Iterator[Stream]:
    """GET ``url``, following redirects, and yield the final answer, whatever its status.

    ``on_socket`` sees each connection's socket as soon as it is connected (a
    watchdog may shut it down to stop the transfer).

    Raises:
        TransportError: No connection, no answer, not HTTP, or too many redirects.
    """
    sent = dict(headers)
    for _ in range(MAX_REDIRECTS + 1):
        scheme, host, port, target = _split(url)
        conn = _open(scheme, host, port)
        response: http.client.HTTPResponse | None = None
        try:
            if on_socket is not None:
                on_socket(conn.sock)
            try:
                conn.request("GET", conn.prefix + target, None, {**sent, **conn.proxy_headers})
                response = conn.getresponse()
            except (OSError, http.client.HTTPException) as exc:
                raise TransportError(_describe(exc, connecting=False)) from exc
            location = response.getheader("Location")
            if response.status not in _REDIRECTS or not location:
                yield Stream(response)
                return
            following = urljoin(url, location.strip())
            if _origin(following) != (scheme, host, port):
                sent = {k: v for k, v in sent.items() if k.lower() not in _CREDENTIALS}
            url = following
        finally:
            if response is not None:  # it owns the socket when the server closes after it
                response.close()
            conn.close()
    raise TransportError(f"more than {MAX_REDIRECTS} redirects")


def _form_quote(value: str) -> str:
    """A form-data parameter value, as browsers escape it (HTML's multipart/form-data)."""
    return re.sub(r'[\x00-\x1f"\\]', lambda m: f"%{ord(m[0]):02X}", value)


def _part_head(boundary: str, name: str, filename: str | None, content_type: str | None) -> bytes:
    disposition = f'form-data; name="{_form_quote(name)}"'
    if filename is not None:
        disposition += f'; filename="{_form_quote(filename)}"'
    lines = [f"--{boundary}", f"Content-Disposition: {disposition}"]
    if content_type:
        lines.append(f"Content-Type: {content_type}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def multipart(
    fields: dict[str, str], name: str, filename: str, fh: BinaryIO, content_type: str
) -> tuple[dict[str, str], Iterator[bytes]]:
    """A ``multipart/form-data`` body: ``fields``, then the rest of ``fh`` as file ``name``.

    Returns the ``Content-Type`` and ``Content-Length`` headers and the body in
    chunks; the file is read as it is sent, never whole into memory.
    """
    boundary = os.urandom(16).hex()
    head = b"".join(
        _part_head(boundary, key, None, None) + value.encode() + b"\r\n"
        for key, value in fields.items()
    )
    head += _part_head(boundary, name, filename, content_type)
    tail = f"\r\n--{boundary}--\r\n".encode()
    length = len(head) + os.fstat(fh.fileno()).st_size - fh.tell() + len(tail)

    def chunks() -> Iterator[bytes]:
        yield head
        while block := fh.read(65536):
            yield block
        yield tail

    headers = {
        "Content-Type": f"multipart/form-data; boundary={boundary}",
        "Content-Length": str(length),
    }
    return headers, chunks()
