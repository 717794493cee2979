"""Trust on first use: the author key each installed package was signed with.

``$ARGENTOS_HOME/marketplace/trust.json`` maps a package name to the key's
fingerprint and base64 public key the first time it is installed; later
installs and updates must be signed by the same key unless the marketplace
shows the author rotated to the new one, or the user accepts it explicitly.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from argent_marketplace.client.errors import ConfigError
from argent_marketplace.client.paths import argentos_home

__all__ = ["Pin", "TrustStore"]


@dataclass(frozen=True, slots=True)
class Pin:
    """The key a package is trusted to be signed with."""

    fingerprint: str
    public_key: str
    pinned_at: str


class TrustStore:
    """The pins, read and written atomically (mode 0600)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or argentos_home() / "marketplace" / "trust.json"

    def _load(self) -> dict[str, dict[str, str]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            raise ConfigError(
                f"cannot read {self.path}: {exc}",
                hint="restore it from a backup; deleting it forgets every pinned key",
            ) from exc
        return data if isinstance(data, dict) else {}

    def get(self, name: str) -> Pin | None:
        """The pin for ``name``, if any."""
        entry = self._load().get(name)
        if not isinstance(entry, dict):
            return None
        return Pin(
            entry.get("fingerprint", ""), entry.get("public_key", ""), entry.get("pinned_at", "")
        )

    def set(self, name: str, fingerprint: str, public_key: str) -> None:
        """Pin ``name`` to a key (replacing any previous pin)."""
        data = self._load()
        data[name] = {
            "fingerprint": fingerprint,
            "public_key": public_key,
            "pinned_at": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
        }
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = self.path.with_name(f".{self.path.name}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=2, sort_keys=True)
            fh.flush()
            os.fsync(fh.fileno())
        tmp.replace(self.path)
