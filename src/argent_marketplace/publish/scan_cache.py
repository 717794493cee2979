"""The shared scan cache: what each file contributed to a scan, kept in the database.

A new version of a connector usually repeats most of its files. Each server process
remembers the files it scanned (:class:`argent_marketplace.scan.cache.LruCache`), but
with several processes or hosts a new version often lands on one that has not seen
them. This cache is shared by all of them: the publish pipeline looks every file up
before the scan (the scanner skips the ones found) and records the files the scan
analysed completely afterwards.

Entries are keyed by the scanner's fingerprint (:attr:`PackageScanner.fingerprint`: its
code and release, bandit's and detect-secrets' versions, the Python that parses, the
policy), the file's path and its sha256: a release with other rules, another Python or
another policy never reads them. A file the scanner failed on is not recorded.
The table keeps about ``capacity`` entries, oldest first out. Caching is best effort:
a failure to read or write it is logged and the scan goes on without it.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, delete, func, select
from sqlalchemy.exc import SQLAlchemyError

from argent_marketplace.db.engine import transaction
from argent_marketplace.db.expressions import insert_with_conflicts, one_of
from argent_marketplace.publish.models import scan_cache

__all__ = ["SharedScanCache"]

log = logging.getLogger(__name__)

_BATCH = 500  # keys per lookup statement


@dataclass(frozen=True, slots=True)
class SharedScanCache:
    """The cache of one scanner configuration (``fingerprint``) in ``engine``."""

    engine: Engine
    fingerprint: str
    capacity: int = 100_000

    def key(self, path: str, data: bytes) -> str:
        """The entry name of ``path`` holding ``data`` for this scanner."""
        digest = hashlib.sha256()
        for part in (self.fingerprint.encode(), path.encode(), hashlib.sha256(data).digest()):
            digest.update(len(part).to_bytes(4, "big") + part)
        return digest.hexdigest()

    def known(self, files: Mapping[str, bytes]) -> tuple[dict[str, str], dict[str, str]]:
        """(path -> entry name for every file, path -> recorded facts of the known ones)."""
        keys = {path: self.key(path, data) for path, data in files.items()}
        by_key = {key: path for path, key in keys.items()}
        found: dict[str, str] = {}
        names = sorted(by_key)
        try:
            with self.engine.connect() as conn:
                for start in range(0, len(names), _BATCH):
                    batch = names[start : start + _BATCH]
                    rows = conn.execute(
                        select(scan_cache.c.key, scan_cache.c.facts).where(
                            one_of(scan_cache.c.key, batch, conn.dialect.name)
                        )
                    )
                    found.update({by_key[row.key]: row.facts for row in rows})
        except SQLAlchemyError:
            log.warning("scan cache unreadable: scanning every file", exc_info=True)
            return keys, {}
        return keys, found

    def record(self, entries: Mapping[str, str], now: datetime) -> None:
        """Keep ``entries`` (entry name -> facts), then drop the oldest past ``capacity``."""
        if not entries:
            return
        rows = [{"key": k, "facts": v, "created_at": now} for k, v in sorted(entries.items())]
        try:
            with transaction(self.engine) as conn:
                # Two publishes may record the same file at once: the second one skips it.
                insert = insert_with_conflicts(scan_cache, conn.dialect.name)
                conn.execute(insert.on_conflict_do_nothing(), rows)
                newest = conn.scalar(select(func.max(scan_cache.c.seq)))
                if newest is not None and newest > self.capacity:
                    oldest_kept = newest - self.capacity
                    conn.execute(delete(scan_cache).where(scan_cache.c.seq <= oldest_kept))
        except SQLAlchemyError:
            log.warning("scan cache not updated", exc_info=True)
