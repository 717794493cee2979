"""The client's HTTP on real loopback servers: headers, redirects, TLS, proxies, timeouts.

The client speaks HTTP with the standard library (``client.transport``); these
tests hold it to what it did with httpx, through ``MarketplaceApi``,
``fetch_archive`` and the ``argent`` command.
"""

from __future__ import annotations

import base64
import email.parser
import hashlib
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from click.testing import Result

from argent_marketplace import __version__
from argent_marketplace.client import transport
from argent_marketplace.client.api import MarketplaceApi
from argent_marketplace.client.download import fetch_archive
from argent_marketplace.client.errors import ApiError, DownloadFailed, ServerUnreachable
from tests.client.loopback import Route, Seen, forward_proxy, make_tls, serving
from tests.e2e.servers import run_argent
from tests.support.services import free_port

PAYLOAD = b"archive bytes " * 5000
SHA = hashlib.sha256(PAYLOAD).hexdigest()
JSON = {"Content-Type": "application/json"}
EMPTY_CATALOG: Route = (200, JSON, b'{"items": [], "total": 0}')
Argent = Callable[..., Result]


@pytest.fixture(autouse=True)
def _no_proxy_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.lower().endswith("_proxy"):
            monkeypatch.delenv(name)


def _fetch(url: str, dest: Path, **kw: object) -> None:
    fetch_archive(url, dest, size=len(PAYLOAD), sha256=SHA, **kw)  # type: ignore[arg-type]


# --- JSON calls --------------------------------------------------------------------------


def test_json_calls_send_the_headers_existing_clients_send() -> None:
    info = b'{"name": "aos-x", "version": "1.0.0"}'
    routes = {
        "/api/v1/catalog/aos-x/download": (200, JSON, info),
        "/api/v1/authors": (201, JSON, b'{"id": "a1"}'),
    }
    with serving(routes) as (url, seen), MarketplaceApi(url, token="tok-1") as api:
        assert api.download_info("aos-x", "1.0.0", "LIC-KEY")["version"] == "1.0.0"
        assert api.register("Ann", "ann@example.com", "PUB") == {"id": "a1"}
    get, post = seen
    assert get.method == "GET"
    assert get.path == "/api/v1/catalog/aos-x/download?format=json&version=1.0.0"
    assert get.headers["accept"] == "application/json"
    assert get.headers["user-agent"] == f"argent/{__version__}"
    assert get.headers["authorization"] == "Bearer tok-1"
    assert get.headers["x-license-key"] == "LIC-KEY"
    assert post.headers["content-type"] == "application/json"
    assert json.loads(post.body) == {"name": "Ann", "email": "ann@example.com", "public_key": "PUB"}
    assert get.client_port == post.client_port  # one kept-alive connection


def test_search_params_and_a_base_url_with_a_path() -> None:
    with serving({"/market/api/v1/catalog": EMPTY_CATALOG}) as (url, seen):
        api = MarketplaceApi(f"{url}/market/")
        with api:
            assert api.search(q="air table", limit=5) == {"items": [], "total": 0}
    assert seen[0].path == "/market/api/v1/catalog?q=air+table&limit=5"


def test_a_server_that_drops_idle_connections_is_reconnected() -> None:
    with serving({"/api/v1/catalog": EMPTY_CATALOG}, keep_alive=False) as (url, seen):
        api = MarketplaceApi(url)
        with api:
            for _ in range(3):
                assert api.search(q="")["total"] == 0
                time.sleep(0.05)
    assert len(seen) == 3 and len({s.client_port for s in seen}) == 3


def test_publish_is_multipart_with_package_and_manifest(tmp_path: Path) -> None:
    archive = tmp_path / 'odd "name".argent-pkg'
    archive.write_bytes(PAYLOAD)
    with serving({"/api/v1/publish": (200, JSON, b'{"status": "published"}')}) as (url, seen):
        api = MarketplaceApi(url, token="t")
        with api:
            assert api.publish(archive, manifest='{"name": "aos-x"}') == {"status": "published"}
    request = seen[0]
    assert request.headers["authorization"] == "Bearer t"
    assert int(request.headers["content-length"]) == len(request.body)
    message = email.parser.BytesParser().parsebytes(
        f"Content-Type: {request.headers['content-type']}\r\n\r\n".encode() + request.body
    )
    parts = {p.get_param("name", header="content-disposition"): p for p in message.get_payload()}
    assert parts["manifest"].get_payload(decode=True) == b'{"name": "aos-x"}'
    package = parts["package"]
    assert package.get_content_type() == "application/gzip"
    assert package.get_filename() == "odd %22name%22.argent-pkg"
    assert package.get_payload(decode=True) == PAYLOAD


def test_error_envelopes_redirects_and_non_json_answers() -> None:
    routes: dict[str, Route] = {
        "/api/v1/catalog/gone": (
            404,
            JSON,
            b'{"error": {"code": "package-not-found", "message": "no aos-gone", "hint": "h"}}',
        ),
        "/api/v1/catalog/moved": (301, {"Location": "https://elsewhere/"}, b""),
        "/api/v1/catalog/html": (200, {"Content-Type": "text/html"}, b"<html>portal</html>"),
        "/api/v1/catalog/plain": (404, {"Content-Type": "text/html"}, b"<h1>Not Found</h1>"),
    }
    with serving(routes) as (url, _), MarketplaceApi(url) as api:
        with pytest.raises(ApiError) as elsewhere:  # another program's 404 page
            api.details("plain")
        with pytest.raises(ApiError) as gone:
            api.details("gone")
        with pytest.raises(ApiError) as moved:
            api.details("moved")
        with pytest.raises(ApiError) as html:
            api.details("html")
    assert (gone.value.status, gone.value.code, str(gone.value)) == (
        404,
        "package-not-found",
        "no aos-gone",
    )
    assert moved.value.code == "redirected" and "https://elsewhere/" in str(moved.value)
    assert html.value.code == "invalid-response" and html.value.exit_code == 8
    assert gone.value.hint == "h"  # the server's own hint is kept
    assert elsewhere.value.status == 404 and "is it a marketplace?" in str(elsewhere.value.hint)


def test_unreachable_servers_are_one_line_exit_7(argent: Argent) -> None:
    closed = f"http://127.0.0.1:{free_port()}"
    result = argent("marketplace", "search", "air", "--server", closed)
    assert result.exit_code == 7
    assert result.stderr.startswith(
        f"error[server-unreachable]: cannot reach the marketplace at {closed} (connection refused)"
    )
    assert result.stderr.count("\n") == 1
    bad = argent("marketplace", "search", "--server", "ftp://127.0.0.1/")
    assert bad.exit_code == 3 and bad.stderr.startswith("error[invalid-server-url]")


def test_an_answer_that_never_comes_times_out(monkeypatch: pytest.MonkeyPatch) -> None:
    """A server that accepts and then says nothing: the read timeout (30 s, shortened here)."""
    monkeypatch.setattr(transport, "READ_TIMEOUT", 0.3)
    with socket.create_server(("127.0.0.1", 0)) as silent:  # the kernel accepts for it
        api = MarketplaceApi(f"http://127.0.0.1:{silent.getsockname()[1]}")
        started = time.monotonic()
        with pytest.raises(ServerUnreachable) as info, api:
            api.search(q="")
    assert "(no answer within 0.3 s)" in str(info.value)
    assert time.monotonic() - started < 3


def test_a_connection_that_never_completes_times_out(monkeypatch: pytest.MonkeyPatch) -> None:
    """A full accept queue drops new SYNs: the connect timeout (5 s, shortened here)."""
    monkeypatch.setattr(transport, "CONNECT_TIMEOUT", 0.3)
    with socket.socket() as full:
        full.bind(("127.0.0.1", 0))
        full.listen(0)
        fillers = []
        try:
            for _ in range(4):
                filler = socket.socket()
                filler.setblocking(False)
                filler.connect_ex(full.getsockname())
                fillers.append(filler)
            time.sleep(0.1)
            api = MarketplaceApi(f"http://127.0.0.1:{full.getsockname()[1]}")
            with pytest.raises(ServerUnreachable) as info, api:
                api.search(q="")
        finally:
            for filler in fillers:
                filler.close()
    assert "(no connection within 0.3 s)" in str(info.value)


# --- downloads ---------------------------------------------------------------------------


def test_download_follows_a_redirect_to_another_port(tmp_path: Path) -> None:
    with serving({"/blob": (200, {}, PAYLOAD)}) as (storage, at_storage):
        hop: Route = (302, {"Location": f"{storage}/blob?sig=abc"}, b"")
        with serving({"/download": hop, "/relative": (307, {"Location": "/download"}, b"")}) as (
            market,
            at_market,
        ):
            _fetch(f"{market}/relative", tmp_path / "a", headers={"X-License-Key": "K"})
    assert (tmp_path / "a").read_bytes() == PAYLOAD
    assert [s.path for s in at_market] == ["/relative", "/download"]
    assert all(s.headers["x-license-key"] == "K" for s in at_market)  # same origin: kept
    assert at_storage[0].path == "/blob?sig=abc"
    assert "x-license-key" not in at_storage[0].headers  # another origin: not sent


def test_endless_redirects_fail(tmp_path: Path) -> None:
    with (
        serving({"/loop": (302, {"Location": "/loop"}, b"")}) as (url, seen),
        pytest.raises(DownloadFailed) as info,
    ):
        _fetch(f"{url}/loop", tmp_path / "a")
    assert info.value.code == "download-interrupted"
    assert "more than 20 redirects" in str(info.value) and len(seen) == 21


def test_a_stalled_download_hits_the_deadline_not_the_read_timeout(tmp_path: Path) -> None:
    def stall(handler: BaseHTTPRequestHandler) -> bool:
        handler.send_response(200)
        handler.send_header("Content-Length", str(len(PAYLOAD)))
        handler.end_headers()
        handler.wfile.write(PAYLOAD[:100])
        handler.wfile.flush()
        time.sleep(5)
        return True

    with serving({}, on_request=stall) as (url, _):
        started = time.monotonic()
        with pytest.raises(DownloadFailed) as info:
            _fetch(f"{url}/x", tmp_path / "a", deadline_seconds=1.0)
        elapsed = time.monotonic() - started
    assert info.value.code == "download-timeout"
    assert elapsed < 3


# --- TLS ---------------------------------------------------------------------------------


def test_an_untrusted_certificate_is_refused(tmp_path: Path) -> None:
    context, _ = make_tls(tmp_path)
    with serving({"/api/v1/catalog": EMPTY_CATALOG, "/blob": (200, {}, PAYLOAD)}, tls=context) as (
        url,
        seen,
    ):
        with pytest.raises(ServerUnreachable) as api_info, MarketplaceApi(url) as api:
            api.search(q="")
        with pytest.raises(DownloadFailed) as download_info:
            _fetch(f"{url}/blob", tmp_path / "a")
    assert "TLS certificate not accepted" in str(api_info.value)
    assert "TLS certificate not accepted" in str(download_info.value)
    assert seen == []


def _run_argent(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """The installed command in a fresh process (its TLS context reads SSL_CERT_FILE)."""
    return run_argent(*args, env={**os.environ, **env}, cwd=Path.cwd())


@pytest.fixture
def tls_catalog(tmp_path: Path) -> Iterator[tuple[str, list[Seen], Path]]:
    context, ca = make_tls(tmp_path)
    with serving({"/api/v1/catalog": EMPTY_CATALOG}, tls=context) as (url, seen):
        yield url, seen, ca


def test_https_with_a_trusted_certificate(tls_catalog: tuple[str, list[Seen], Path]) -> None:
    url, seen, ca = tls_catalog
    done = _run_argent(
        "marketplace", "search", "--server", url, "--json", env={"SSL_CERT_FILE": str(ca)}
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["result"] == {"items": [], "total": 0}
    assert len(seen) == 1


def test_https_through_a_proxy_tunnel(tls_catalog: tuple[str, list[Seen], Path]) -> None:
    url, seen, ca = tls_catalog
    with forward_proxy() as (proxy, at_proxy):
        env = {"SSL_CERT_FILE": str(ca), "HTTPS_PROXY": proxy.replace("://", "://ann:s%40cret@")}
        done = _run_argent("marketplace", "search", "--server", url, "--json", env=env)
    assert done.returncode == 0, done.stderr
    assert len(seen) == 1
    (tunnel,) = at_proxy
    assert (tunnel.method, tunnel.path) == ("CONNECT", url.removeprefix("https://"))
    assert (
        tunnel.headers["proxy-authorization"] == "Basic " + base64.b64encode(b"ann:s@cret").decode()
    )


# --- proxies -----------------------------------------------------------------------------


def test_http_proxy_and_no_proxy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with (
        serving({"/blob": (200, {}, PAYLOAD)}) as (url, at_server),
        forward_proxy() as (
            proxy,
            at_proxy,
        ),
    ):
        monkeypatch.setenv("HTTP_PROXY", proxy)
        _fetch(f"{url}/blob", tmp_path / "a")
        assert [(s.method, s.path) for s in at_proxy] == [("GET", f"{url}/blob")]
        assert at_server[-1].headers["user-agent"] == "via-proxy"
        monkeypatch.setenv("no_proxy", "localhost, 127.0.0.1")
        _fetch(f"{url}/blob", tmp_path / "b")
        assert len(at_proxy) == 1
        assert at_server[-1].headers["user-agent"] == f"argent/{__version__}"


def test_unsupported_proxies_are_refused_clearly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ALL_PROXY", "socks5://127.0.0.1:1080")
    with serving({"/api/v1/catalog": EMPTY_CATALOG}) as (url, seen):
        with pytest.raises(ServerUnreachable) as info, MarketplaceApi(url) as api:
            api.search(q="")
        with pytest.raises(DownloadFailed) as download:
            _fetch(f"{url}/blob", tmp_path / "a")
    assert "ALL_PROXY names a socks5:// proxy; only http:// proxies are supported" in str(
        info.value
    )
    assert download.value.code == "download-interrupted"
    assert seen == []


# --- what the install path loads ---------------------------------------------------------


def test_install_does_not_import_httpx() -> None:
    """httpx and what it pulls in cost ~100 ms per command; the client must not load them."""
    code = (
        "import sys\n"
        "from argent_marketplace.client.cli import main\n"
        f"sys.argv = ['argent', 'marketplace', 'install', 'aos-x', '--server', "
        f"'http://127.0.0.1:{free_port()}']\n"
        "try:\n    main()\nexcept SystemExit as exit:\n    assert exit.code == 7, exit.code\n"
        "heavy = {'httpx', 'httpcore', 'h11', 'anyio', 'rich', 'pygments'}\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & heavy))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
    assert done.stderr.startswith("error[server-unreachable]: ")


def test_search_says_when_the_total_is_a_lower_bound() -> None:
    item = {
        "name": "aos-data",
        "latest_version": "1.0.0",
        "pricing": "free",
        "total_downloads": 7,
        "description": "Data",
    }
    body = json.dumps({"items": [item], "total": 500, "total_is_lower_bound": True}).encode()
    with serving({"/api/v1/catalog": (200, JSON, body)}) as (url, _seen):
        done = _run_argent("marketplace", "search", "data", "--server", url, env={})
    assert done.returncode == 0, done.stderr
    assert done.stdout.rstrip().endswith("500+ package(s); showing 1.")


def test_an_oversized_api_answer_is_refused() -> None:
    """A broken or hostile server cannot make the client read an endless answer."""

    def flood(handler: BaseHTTPRequestHandler) -> bool:
        size = transport.MAX_ANSWER_BYTES + 4096
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(size))
        handler.end_headers()
        block = b" " * 65536
        try:
            for _ in range(size // len(block) + 1):
                handler.wfile.write(block)
        except OSError:
            pass  # the client hangs up once it has seen enough
        return True

    with (
        serving({}, on_request=flood) as (url, _seen),
        MarketplaceApi(url) as api,
        pytest.raises(ApiError) as info,
    ):
        api.search(q="")
    assert info.value.code == "answer-too-large"
    assert "more than 16 MiB" in info.value.message
