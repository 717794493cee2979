"""The client's small JSON files under ``$ARGENTOS_HOME``: read leniently, written privately.

``marketplace.json`` (token), ``license.json`` (license key and token) and
``marketplace/trust.json`` (pinned keys) hold secrets or trust decisions: they
are written to a temporary file created with mode 0600 and renamed into place,
so they are never readable by others, not even for a moment, and never torn.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from argent_marketplace.client.errors import ConfigError

__all__ = ["read_json_object", "write_private_json"]


def read_json_object(path: Path, hint: str) -> dict[str, Any]:
    """The JSON object in ``path``; ``{}`` when the file does not exist.

    Raises:
        ConfigError: The file exists but is unreadable or not a JSON object.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}", hint=hint) from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path} is not a JSON object", hint=hint)
    return data


def write_private_json(path: Path, data: dict[str, Any]) -> Path:
    """Write ``data`` to ``path`` atomically with mode 0600.

    Raises:
        ConfigError: The file cannot be written.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = path.with_name(f".{path.name}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=2, sort_keys=True)
            fh.flush()
            os.fsync(fh.fileno())
        tmp.chmod(0o600)
        tmp.replace(path)
    except OSError as exc:
        raise ConfigError(
            f"cannot write {path}: {exc.strerror}", hint="check the permissions of ARGENTOS_HOME"
        ) from exc
    return path
