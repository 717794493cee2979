"""This machine's identity for license activations.

The hardware fingerprint is ``sha256(machine id, hostname, platform)``: stable
across reboots and reinstalls of the client, different between machines, and
revealing none of its inputs. The instance id is a random id kept in
``$ARGENTOS_HOME/argent.json`` (``instance_id``), one per ArgentOS installation.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import socket
import uuid
from pathlib import Path

from argent_marketplace.client.errors import ConfigError
from argent_marketplace.client.paths import argentos_home

__all__ = ["hardware_fingerprint", "instance_id"]

_MACHINE_ID_FILES = ("/etc/machine-id", "/var/lib/dbus/machine-id")


def _machine_id() -> str:
    for name in _MACHINE_ID_FILES:
        try:
            text = Path(name).read_text().strip()
        except OSError:
            continue
        if text:
            return text
    return f"node-{uuid.getnode():012x}"


def hardware_fingerprint() -> str:
    """64 hex characters identifying this machine (``ARGENT_FINGERPRINT`` overrides, for tests)."""
    override = os.environ.get("ARGENT_FINGERPRINT")
    if override:
        return hashlib.sha256(override.encode()).hexdigest()
    parts = (_machine_id(), socket.gethostname(), platform.system(), platform.machine())
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def instance_id(home: Path | None = None) -> str:
    """This installation's id, created on first use and kept in ``argent.json``.

    Raises:
        ConfigError: ``argent.json`` exists but cannot be read or written.
    """
    path = (home or argentos_home()) / "argent.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}", hint="fix the JSON syntax") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path} is not a JSON object", hint="fix the file")
    current = data.get("instance_id")
    if isinstance(current, str) and current:
        return current
    data["instance_id"] = str(uuid.uuid4())
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        raise ConfigError(f"cannot write {path}: {exc.strerror}") from exc
    return str(data["instance_id"])
