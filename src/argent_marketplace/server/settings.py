"""Server settings: flags override environment, environment overrides defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Settings", "default_data_dir"]


def default_data_dir() -> Path:
    """``$ARGENT_MARKETPLACE_DATA_DIR``, else ``$XDG_DATA_HOME/argent-marketplace``."""
    env = os.environ.get("ARGENT_MARKETPLACE_DATA_DIR")
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".local" / "share"
    return base / "argent-marketplace"


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything ``create_app`` needs; tests build their own."""

    data_dir: Path
