"""Which proxy a request goes through: the environment, read as httpx read it.

``HTTPS_PROXY`` for ``https://`` URLs, ``HTTP_PROXY`` for ``http://``, else
``ALL_PROXY``; the lower-case names win over the upper-case ones, even when empty
(as :func:`urllib.request.getproxies` reads them; on macOS and Windows the system
settings are used when no variable is set). ``NO_PROXY`` lists hosts to reach
directly, comma-separated: ``*`` (every host), ``example.com`` (it and its
subdomains), ``.example.com`` (subdomains only), an IP address, and any of them
with ``:PORT`` or a ``scheme://`` in front. Address ranges (CIDR) are not
understood, as httpx did not understand them.

Only ``http://`` proxies are supported (``https://`` targets go through a
``CONNECT`` tunnel). httpx refused SOCKS proxies too, unless an extra package was
installed; any other scheme is refused here with a clear message.
"""

from __future__ import annotations

import base64
import os
import sys
from typing import NamedTuple
from urllib.parse import unquote, urlsplit

__all__ = ["Proxy", "ProxyConfigError", "proxy_for"]


class ProxyConfigError(ValueError):
    """A proxy variable holds something this client cannot use."""


class Proxy(NamedTuple):  # not a dataclass: ~0.3 ms less at start-up
    """An ``http://`` proxy, with the ``Proxy-Authorization`` value its URL implies."""

    host: str
    port: int
    authorization: str | None


def _environment() -> dict[str, str]:
    """``{"http": URL, "https": URL, "all": URL, "no": LIST}``, as urllib reads them."""
    found: dict[str, str] = {}
    for name, value in os.environ.items():
        key = name.lower()
        if value and key.endswith("_proxy"):
            found[key[:-6]] = value
    if "REQUEST_METHOD" in os.environ:  # a CGI script: HTTP_PROXY may come from a request header
        found.pop("http", None)
    for name, value in os.environ.items():
        if name.endswith("_proxy"):  # lower case wins, and an empty one unsets
            if value:
                found[name[:-6]] = value
            else:
                found.pop(name[:-6], None)
    if not found and sys.platform in ("darwin", "win32"):
        from urllib.request import getproxies  # noqa: PLC0415 - system settings, rarely needed

        found = dict(getproxies())
    return found


def _host_port(entry: str) -> tuple[str, int | None]:
    if entry.startswith("["):  # [::1]:8080
        host, _, rest = entry[1:].partition("]")
        port = rest[1:] if rest.startswith(":") else ""
    elif entry.count(":") == 1:
        host, _, port = entry.partition(":")
    else:  # a name, or a bare IPv6 address
        host, port = entry, ""
    return host, int(port) if port.isdigit() else None


def _bypassed(no_proxy: str, scheme: str, host: str, port: int) -> bool:
    host = host.lower().rstrip(".")
    for raw in no_proxy.split(","):
        entry = raw.strip().lower()
        if entry == "*":
            return True
        if "://" in entry:
            entry_scheme, _, entry = entry.partition("://")
            if entry_scheme not in ("all", scheme):
                continue
        name, entry_port = _host_port(entry.rstrip("/"))
        name = name.lstrip("*").rstrip(".")
        if not name or (entry_port is not None and entry_port != port):
            continue
        if name.startswith("."):
            if host.endswith(name):
                return True
        elif host == name or host.endswith("." + name):
            return True
    return False


def _parse(url: str, variable: str) -> Proxy:
    parts = urlsplit(url if "://" in url else f"http://{url}")
    if parts.scheme.lower() != "http":
        raise ProxyConfigError(
            f"{variable} names a {parts.scheme}:// proxy; only http:// proxies are supported"
        )
    try:
        port = parts.port or 80
    except ValueError:
        port = 0
    if not parts.hostname or not port:
        raise ProxyConfigError(f"{variable} is not a proxy URL (http://HOST:PORT)")
    authorization = None
    if parts.username is not None:
        pair = f"{unquote(parts.username)}:{unquote(parts.password or '')}"
        authorization = "Basic " + base64.b64encode(pair.encode()).decode("ascii")
    return Proxy(parts.hostname, port, authorization)


def proxy_for(scheme: str, host: str, port: int) -> Proxy | None:
    """The proxy for ``scheme://host:port``, or ``None`` to connect directly.

    Raises:
        ProxyConfigError: The variable that applies is not an ``http://`` proxy URL.
    """
    env = _environment()
    if not env or _bypassed(env.get("no", ""), scheme, host, port):
        return None
    for key in (scheme, "all"):
        if env.get(key):
            return _parse(env[key], f"{key.upper()}_PROXY")
    return None
