"""Where the client finds its server and token.

Precedence: command-line flag, then environment (``ARGENT_MARKETPLACE_URL``,
``ARGENT_MARKETPLACE_TOKEN``), then ``$ARGENTOS_HOME/marketplace.json`` (mode
0600, written by ``register`` and ``login``), then the default server
``http://127.0.0.1:8000``. The file keeps one token per server; the last server
registered or logged in to is the default.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from argent_marketplace.client.errors import BadServerUrl
from argent_marketplace.client.files import read_json_object, write_private_json
from argent_marketplace.client.paths import argentos_home

__all__ = [
    "DEFAULT_SERVER",
    "Config",
    "config_path",
    "load_config",
    "save_config",
    "saved_servers",
    "server_url",
]

DEFAULT_SERVER = "http://127.0.0.1:8000"


@dataclass(frozen=True, slots=True)
class Config:
    """The resolved server URL and token (``None`` when there is none)."""

    server: str
    token: str | None


def config_path() -> Path:
    """``$ARGENTOS_HOME/marketplace.json``."""
    return argentos_home() / "marketplace.json"


def _stored() -> dict[str, Any]:
    return read_json_object(config_path(), "fix or delete the file, then log in again")


def _text(data: dict[str, Any], key: str) -> str | None:
    value = data.get(key)
    return value if isinstance(value, str) and value else None


def _saved_tokens(data: dict[str, Any]) -> dict[str, str]:
    """Server URL -> token, for every server registered or logged in to."""
    saved = data.get("tokens")
    tokens = {
        k: v for k, v in (saved.items() if isinstance(saved, dict) else ()) if isinstance(v, str)
    }
    server, token = _text(data, "server"), _text(data, "token")
    if server and token:  # files written before "tokens" existed
        tokens.setdefault(server.rstrip("/"), token)
    return tokens


def server_url(value: str) -> str:
    """A marketplace base URL as the client uses it, or a clear error.

    ``http://host:8000/api/v1`` is accepted for ``http://host:8000`` (the API's own
    base, which existing ArgentOS settings hold).

    Raises:
        BadServerUrl: No http(s) scheme or no host.
    """
    url = value.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise BadServerUrl(
            f"{value!r} is not a server URL",
            hint="write it in full, with http:// or https://: e.g. http://127.0.0.1:8000",
        )
    return url.removesuffix("/api/v1").rstrip("/")


def load_config(server: str | None = None, token: str | None = None) -> Config:
    """Resolve server and token by the precedence above.

    A saved token is only ever sent to the server it was saved for: ``--server``
    naming another one uses that server's own saved token, if any.
    """
    stored = _stored()
    resolved_server = server_url(
        server
        or os.environ.get("ARGENT_MARKETPLACE_URL")
        or _text(stored, "server")
        or DEFAULT_SERVER
    )
    resolved_token = (
        token
        or os.environ.get("ARGENT_MARKETPLACE_TOKEN")
        or _saved_tokens(stored).get(resolved_server)
    )
    return Config(resolved_server, resolved_token or None)


def save_config(server: str, token: str) -> Path:
    """Make ``server`` the default and keep its token beside the other servers' ones.

    Written with mode 0600 (created that way: never readable by others).

    Raises:
        ConfigError: The file cannot be written.
    """
    stored = _stored()
    tokens = {**_saved_tokens(stored), server.rstrip("/"): token}
    return write_private_json(config_path(), {"server": server, "token": token, "tokens": tokens})


def saved_servers() -> list[str]:
    """The servers a token is saved for (for hints; the tokens stay where they are)."""
    return sorted(_saved_tokens(_stored()))
