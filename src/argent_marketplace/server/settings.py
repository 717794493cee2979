"""Server settings: flags override environment, environment overrides defaults.

* data folder: ``--data-dir``, ``ARGENT_MARKETPLACE_DATA_DIR``, default
  ``$XDG_DATA_HOME/argent-marketplace`` (``~/.local/share/argent-marketplace``);
* database: ``--database-url``, ``ARGENT_MARKETPLACE_DATABASE_URL``, default
  SQLite in the data folder;
* blob store: ``--storage-url``, ``ARGENT_MARKETPLACE_STORAGE_URL``, default
  ``blobs/`` in the data folder;
* HMAC secret: ``ARGENT_MARKETPLACE_SECRET``, default generated once and kept in
  the database;
* scanning: ``ARGENT_MARKETPLACE_SCAN_WORKERS`` worker processes per server process
  (default 1; 0 scans in the serving process), ``ARGENT_MARKETPLACE_SCAN_TIMEOUT``
  (hard limit of one scan, seconds, default 60) and
  ``ARGENT_MARKETPLACE_SCAN_QUEUE_SECONDS`` (how long a publish waits for a free
  worker before a 503, default 10);
* limits per client address: ``ARGENT_MARKETPLACE_AUTH_FAILURES_PER_ADDRESS`` (bad
  tokens in 5 minutes, default 20) and ``ARGENT_MARKETPLACE_REGISTRATIONS_PER_ADDRESS``
  (an hour, default 10); 0 turns one off.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from argent_marketplace.errors import Error, ExitCode
from argent_marketplace.package.limits import DEFAULT_LIMITS, Limits

__all__ = ["SettingError", "Settings", "default_data_dir"]


class SettingError(Error):
    """A server setting from the environment is unusable."""

    code = "bad-setting"
    exit_code = ExitCode.USAGE


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
    database_url: str | None = None
    storage_url: str | None = None
    secret: str | None = None
    download_ttl_seconds: int = 300
    # License endpoints, per client address and per key (fixed one-minute windows), and
    # activation changes per key per hour (SECURITY-CASES F4, F7); 0 turns a limit off.
    # Many ArgentOS machines behind one NAT share an address: operators raise the first.
    license_rate_per_address: int = 60
    license_rate_per_key: int = 30
    activation_changes_per_hour: int = 20
    license_grace_hours: int = 72
    # Failed token checks per client address in 5 minutes, and registrations per client
    # address in an hour; past them, 429 (SECURITY-CASES G3). 0 turns a limit off.
    auth_failures_per_address: int = 20
    registrations_per_address: int = 10
    limits: Limits = field(default=DEFAULT_LIMITS)
    migrate_on_start: bool = True
    # Versions signed by a key added this recently (after the account's first key) wait
    # for a moderator; 0 turns it off (SECURITY-CASES B8).
    key_cooling_off_hours: float = 24.0
    # Scans run in worker processes, so that they never hold the GIL of a process that
    # serves reads (SECURITY-CASES H2, H3); 0 runs them in the serving process.
    scan_workers: int = 1
    scan_timeout_seconds: float = 60.0
    scan_queue_seconds: float = 10.0
    # Files' scan results kept in the database for every process (0: none kept there).
    scan_cache_files: int = 100_000

    @classmethod
    def from_env(
        cls,
        data_dir: Path | None = None,
        database_url: str | None = None,
        storage_url: str | None = None,
    ) -> Settings:
        """Settings from flags (when given) and the environment."""
        return cls(
            data_dir=data_dir or default_data_dir(),
            database_url=database_url or os.environ.get("ARGENT_MARKETPLACE_DATABASE_URL"),
            storage_url=storage_url or os.environ.get("ARGENT_MARKETPLACE_STORAGE_URL"),
            secret=os.environ.get("ARGENT_MARKETPLACE_SECRET") or None,
            key_cooling_off_hours=_number(
                "ARGENT_MARKETPLACE_KEY_COOLING_OFF_HOURS", 24, 0, _MAX_HOURS, "hours"
            ),
            scan_workers=int(_number("ARGENT_MARKETPLACE_SCAN_WORKERS", 1, 0, 64, "workers")),
            auth_failures_per_address=int(
                _number("ARGENT_MARKETPLACE_AUTH_FAILURES_PER_ADDRESS", 20, 0, 10**6, "requests")
            ),
            registrations_per_address=int(
                _number("ARGENT_MARKETPLACE_REGISTRATIONS_PER_ADDRESS", 10, 0, 10**6, "requests")
            ),
            scan_timeout_seconds=_number("ARGENT_MARKETPLACE_SCAN_TIMEOUT", 60, 1, 3600, "seconds"),
            scan_queue_seconds=_number(
                "ARGENT_MARKETPLACE_SCAN_QUEUE_SECONDS", 10, 0, 600, "seconds"
            ),
            scan_cache_files=int(
                _number("ARGENT_MARKETPLACE_SCAN_CACHE_FILES", 100_000, 0, 10**8, "files")
            ),
            license_rate_per_address=int(
                _number("ARGENT_MARKETPLACE_LICENSE_CHECKS_PER_ADDRESS", 60, 0, 10**6, "requests")
            ),
            license_rate_per_key=int(
                _number("ARGENT_MARKETPLACE_LICENSE_CHECKS_PER_KEY", 30, 0, 10**6, "requests")
            ),
            activation_changes_per_hour=int(
                _number("ARGENT_MARKETPLACE_ACTIVATION_CHANGES_PER_HOUR", 20, 0, 10**6, "changes")
            ),
        )


_MAX_HOURS = 24 * 365 * 10  # ten years: beyond it, a duration is a typo (and overflows)


def _number(variable: str, default: float, low: float, high: float, unit: str) -> float:
    """A number from ``low`` to ``high`` from the environment (whole when ``unit`` counts).

    Raises:
        SettingError: The variable holds something else.
    """
    raw = os.environ.get(variable, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = low - 1
    whole = unit in ("workers", "requests")
    if not low <= value <= high or (whole and not value.is_integer()):
        kind = "a whole number" if whole else "a number"
        raise SettingError(
            f"{variable} must be {kind} of {unit} from {low:g} to {high:g}, not {raw!r}",
            hint=f"unset it for the default ({default:g})",
        )
    return value
