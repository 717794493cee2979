"""Where the client keeps things: ``$ARGENTOS_HOME`` (default ``~/.argentos``)."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["argentos_home", "default_key_path"]


def argentos_home() -> Path:
    """The ArgentOS home folder; ``ARGENTOS_HOME`` overrides ``~/.argentos``."""
    env = os.environ.get("ARGENTOS_HOME")
    return Path(env).expanduser() if env else Path.home() / ".argentos"


def default_key_path() -> Path:
    """Where ``keygen`` writes by default: outside any connector folder, mode 0700."""
    return argentos_home() / "keys" / "marketplace-ed25519.pem"
