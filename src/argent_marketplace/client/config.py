"""Where the client finds its server and token.

Precedence: command-line flag, then environment (``ARGENT_MARKETPLACE_URL``,
``ARGENT_MARKETPLACE_TOKEN``), then ``$ARGENTOS_HOME/marketplace.json`` (mode
0600, written by ``register`` and ``login``), then the default server
``http://127.0.0.1:8000``.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from argent_marketplace.client.errors import ConfigError
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
    path = config_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise ConfigError(
            f"cannot read {path}: {exc}", hint="fix or delete the file, then log in again"
        ) from exc
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
    path = config_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = path.with_name(f".{path.name}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"server": server, "token": token}, fh, indent=2)
        tmp.chmod(0o600)
        tmp.replace(path)
    except OSError as exc:
        raise ConfigError(
            f"cannot write {path}: {exc.strerror}", hint="check the permissions of ARGENTOS_HOME"
        ) from exc
    return path
