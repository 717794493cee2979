"""What the client reads from the local ArgentOS installation, as existing clients do.

* ArgentOS version: ``version`` (or ``argentos.version``) in ``$ARGENTOS_HOME/argent.json``.
* License key: ``license.key`` in ``argent.json``, else ``key`` in ``license.json``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

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


def license_key(home: Path | None = None) -> str | None:
    """The configured license key, as existing ArgentOS clients look it up."""
    base = home or argentos_home()
    lic = _read(base / "argent.json").get("license")
    if isinstance(lic, dict) and isinstance(lic.get("key"), str) and lic["key"]:
        return str(lic["key"])
    key = _read(base / "license.json").get("key")
    return key if isinstance(key, str) and key else None
