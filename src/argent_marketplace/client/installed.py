"""The connectors installed under ``$ARGENTOS_HOME/connectors``, and their records.

Every marketplace install writes ``.argent-install.json`` into the connector's
folder: what was installed, from where, verified with which key, and when.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

__all__ = ["INSTALL_RECORD", "InstallRecord", "installed_connectors", "read_record"]

INSTALL_RECORD = ".argent-install.json"


@dataclass(frozen=True, slots=True)
class InstallRecord:
    """The ``.argent-install.json`` of one installed connector."""

    name: str
    version: str
    sha256: str
    key_fingerprint: str
    installed_at: str
    source: str
    harness: bool = False
    # The install that wrote this folder (random): crash recovery tells this version
    # from any other folder at the same place by it, not by inode or path.
    swap: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return asdict(self)


def read_record(folder: Path) -> InstallRecord | None:
    """The record in ``folder``, or ``None`` (not a marketplace install, or unreadable)."""
    try:
        data = json.loads((folder / INSTALL_RECORD).read_text(encoding="utf-8"))
        return InstallRecord(
            **{k: data[k] for k in InstallRecord.__dataclass_fields__ if k in data}
        )
    except (OSError, ValueError, TypeError, KeyError):
        return None


def installed_connectors(connectors: Path) -> list[InstallRecord]:
    """Marketplace-installed connectors, by name (hidden and symlinked folders skipped)."""
    if not connectors.is_dir():
        return []
    out = []
    for folder in sorted(connectors.iterdir()):
        if folder.name.startswith(".") or folder.is_symlink() or not folder.is_dir():
            continue
        record = read_record(folder)
        if record is not None:
            out.append(record)
    return out
