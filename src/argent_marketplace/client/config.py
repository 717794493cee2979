"""Where the client finds its server and token.

Precedence: command-line flag, then environment (``ARGENT_MARKETPLACE_URL``,
``ARGENT_MARKETPLACE_TOKEN``), then ``$ARGENTOS_HOME/marketplace.json`` (mode
0600, written by ``register`` and ``login``), then the default server
``http://127.0.0.1:8000``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from argent_marketplace.client.files import read_json_object, write_private_json
from argent_marketplace.client.paths import argentos_home

__all__ = ["DEFAULT_SERVER", "Config", "config_path", "load_config", "save_config"]

DEFAULT_SERVER = "http://127.0.0.1:8000"


@dataclass(frozen=True, slots=True)
class Config:
    """The resolved server URL and token (``None`` when there is none)."""

    server: str
    token: str | None


def config_path() -> Path:
    """``$ARGENTOS_HOME/marketplace.json``."""
    return argentos_home() / "marketplace.json"


def _stored() -> dict[str, str]:
    data = read_json_object(config_path(), "fix or delete the file, then log in again")
    return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str)}


def load_config(server: str | None = None, token: str | None = None) -> Config:
    """Resolve server and token by the precedence above."""
    stored = _stored()
    resolved_server = (
        server or os.environ.get("ARGENT_MARKETPLACE_URL") or stored.get("server") or DEFAULT_SERVER
    )
    resolved_token = token or os.environ.get("ARGENT_MARKETPLACE_TOKEN") or stored.get("token")
    return Config(resolved_server.rstrip("/"), resolved_token or None)


def save_config(server: str, token: str) -> Path:
    """Write server and token with mode 0600 (created that way: never readable by others).

    Raises:
        ConfigError: The file cannot be written.
    """
    return write_private_json(config_path(), {"server": server, "token": token})
