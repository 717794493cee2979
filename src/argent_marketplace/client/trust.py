"""Trust on first use: the author key each installed package was signed with.

``$ARGENTOS_HOME/marketplace/trust.json`` maps a package name to the key's
fingerprint and base64 public key the first time it is installed; later
installs and updates must be signed by the same key unless the marketplace
shows the author rotated to the new one, or the user accepts it explicitly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from argent_marketplace.client.files import read_json_object, write_private_json
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

    def _load(self) -> dict[str, Any]:
        return read_json_object(
            self.path, "restore it from a backup; deleting it forgets every pinned key"
        )

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
        write_private_json(self.path, data)
