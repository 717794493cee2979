"""What the client reads from the local ArgentOS installation, as existing clients do.

* ArgentOS version: ``version`` (or ``argentos.version``) in ``$ARGENTOS_HOME/argent.json``.
* License key: ``license.key`` in ``argent.json``, else ``key`` in ``license.json``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from argent_marketplace.client.config import server_url
from argent_marketplace.client.errors import BadServerUrl
from argent_marketplace.client.paths import argentos_home

__all__ = ["license_key", "local_argentos_version"]


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def local_argentos_version(home: Path | None = None) -> str | None:
    """The installed ArgentOS version, or ``None`` when it cannot be told."""
    config = _read((home or argentos_home()) / "argent.json")
    version = config.get("version")
    nested = config.get("argentos")
    if not isinstance(version, str) and isinstance(nested, dict):
        version = nested.get("version")
    return version if isinstance(version, str) and version else None


def license_key(home: Path | None = None, server: str | None = None) -> str | None:
    """The configured license key, as existing ArgentOS clients look it up.

    A key that ``argent marketplace activate`` saved is only offered to the server it
    was activated on (``server``, when given, must be that one): a license that opens
    an organisation's private packages is not sent to every host ``--server`` names.
    ArgentOS's own ``license.key`` has no server beside it and goes as ArgentOS sends it;
    for the server a key was activated on, the activated key comes first.
    """
    base = home or argentos_home()
    saved = _read(base / "license.json")
    key, origin = saved.get("key"), saved.get("server")
    activated = isinstance(key, str) and bool(key)
    on_this_server = server is not None and isinstance(origin, str) and _same_server(origin, server)
    if activated and on_this_server:
        return str(key)  # activated on this very server: it wins
    lic = _read(base / "argent.json").get("license")
    if isinstance(lic, dict) and isinstance(lic.get("key"), str) and lic["key"]:
        return str(lic["key"])
    if not activated:
        return None
    return str(key) if server is None or not isinstance(origin, str) else None


def _same_server(a: str, b: str) -> bool:
    """Whether two spellings name one server, as ``--server`` is read (config.server_url)."""
    try:
        return server_url(a) == server_url(b)
    except BadServerUrl:
        return False
