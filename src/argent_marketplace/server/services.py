"""What every request handler needs, built once per process from ``Settings``.

Nothing here is per-request or mutable: several processes built from the same
settings behave as one server (state lives in the database and the blob store).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine

from argent_marketplace.db.engine import make_engine, sqlite_url
from argent_marketplace.db.metadata import utcnow
from argent_marketplace.db.migrate import upgrade
from argent_marketplace.licensing.services import LicenseKeys
from argent_marketplace.package.limits import Limits
from argent_marketplace.publish.pipeline import PublishContext
from argent_marketplace.publish.scan import PackageScanner, Scanner
from argent_marketplace.publish.scan_cache import SharedScanCache
from argent_marketplace.publish.store import fill_name_keys
from argent_marketplace.scan.policy import POLICY_ENV
from argent_marketplace.scan.workers import ProcessScanner
from argent_marketplace.server.secrets import ServerKeys, load_keys
from argent_marketplace.server.settings import Settings
from argent_marketplace.storage.factory import open_storage
from argent_marketplace.storage.interfaces import BlobStorage

__all__ = ["Services", "build_services"]


@dataclass(frozen=True, slots=True)
class Services:
    """The server's collaborators."""

    engine: Engine
    storage: BlobStorage
    keys: ServerKeys
    scanner: Scanner
    limits: Limits
    download_ttl_seconds: int
    clock: Callable[[], datetime]
    settings: Settings
    scan_cache: SharedScanCache | None = None

    @property
    def license_keys(self) -> LicenseKeys:
        """What licensing needs from the server's keys."""
        return LicenseKeys(
            self.keys.licenses,
            self.keys.license_signing,
            timedelta(hours=self.settings.license_grace_hours),
        )

    def publish_context(self) -> PublishContext:
        """The pipeline's view of these services."""
        return PublishContext(
            self.engine,
            self.storage,
            self.scanner,
            self.limits,
            self.clock,
            timedelta(hours=self.settings.key_cooling_off_hours),
            self.scan_cache,
        )


def _scanner(settings: Settings, in_process: PackageScanner) -> Scanner:
    """Scan workers shared by every app of this process, or the in-process scanner."""
    if settings.scan_workers == 0:
        return in_process
    return ProcessScanner.shared(
        settings.scan_workers,
        timeout=settings.scan_timeout_seconds,
        queue_wait=settings.scan_queue_seconds,
        policy_file=os.environ.get(POLICY_ENV) or None,
    )


def build_services(settings: Settings, clock: Callable[[], datetime] = utcnow) -> Services:
    """Open the database (migrating it when asked) and the blob store."""
    settings.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    engine = make_engine(settings.database_url or sqlite_url(settings.data_dir))
    try:
        return _services_on(engine, settings, clock)
    except BaseException:
        engine.dispose()  # the caller reports it; no connection is left open behind
        raise


def _services_on(engine: Engine, settings: Settings, clock: Callable[[], datetime]) -> Services:
    if settings.migrate_on_start:
        upgrade(engine)
        fill_name_keys(engine)
    # The policy file is read here either way, so that a bad one stops the start; the
    # workers read it again and check that their fingerprint matches this one.
    scanner = PackageScanner.from_environment()
    return Services(
        engine=engine,
        storage=open_storage(settings.storage_url, settings.data_dir),
        keys=load_keys(engine, settings.secret),
        scanner=_scanner(settings, scanner),
        limits=settings.limits,
        download_ttl_seconds=settings.download_ttl_seconds,
        clock=clock,
        settings=settings,
        scan_cache=SharedScanCache(engine, scanner.fingerprint, settings.scan_cache_files)
        if settings.scan_cache_files > 0
        else None,
    )
