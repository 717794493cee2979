"""Step 5 of the pipeline: blob first, then rows, with no orphan on any failure.

1. Record the blob key in ``pending_blobs`` and commit.
2. Write the blob (content-addressed: the same bytes always land on the same key).
3. In one transaction: create the package row if new, insert the version (the
   unique (package, version) constraint picks one winner among concurrent
   uploads), refresh ``latest`` and the search index, delete the pending row.
4. If step 3 fails, delete the blob unless a committed version refers to it,
   then the pending row. A crash between 1 and 4 leaves a pending row that
   :func:`collect_garbage` clears later.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from argent_marketplace.catalog.models import packages, versions
from argent_marketplace.catalog.services import refresh_package
from argent_marketplace.db.engine import transaction
from argent_marketplace.db.metadata import new_id
from argent_marketplace.publish.errors import NameTaken, VersionExists
from argent_marketplace.publish.models import pending_blobs
from argent_marketplace.scan.names import base_name, skeleton_name
from argent_marketplace.storage.interfaces import BlobStorage, blob_key

__all__ = ["NewVersion", "blob_needed", "collect_garbage", "fill_name_keys", "store_version"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class NewVersion:
    """Everything the version row needs; built by the pipeline from the verified package."""

    name: str
    version: str
    status: str
    sha256: str
    size: int
    manifest: dict[str, Any]
    tools: list[str]
    findings: list[dict[str, Any]]
    key_fingerprint: str
    author_id: str


def _blob_in_use(conn: Connection, key: str) -> bool:
    return conn.execute(select(versions.c.id).where(versions.c.blob_key == key)).first() is not None


def _package_id(conn: Connection, new: NewVersion, now: datetime) -> str:
    row = conn.execute(
        select(packages.c.id, packages.c.owner_id).where(packages.c.name == new.name)
    ).first()
    if row is not None:
        if row.owner_id != new.author_id:
            raise NameTaken(
                f"the name '{new.name}' belongs to another author",
                hint="choose another name for your connector",
            )
        return str(row.id)
    package_id = new_id()
    conn.execute(
        insert(packages).values(
            id=package_id,
            name=new.name,
            name_base=base_name(new.name),
            name_skeleton=skeleton_name(new.name),
            owner_id=new.author_id,
            display_name=new.manifest.get("display_name") or new.name,
            description=new.manifest["description"],
            category=new.manifest["category"],
            tags=json.dumps(new.manifest["tags"]),
            pricing=new.manifest["pricing"],
            price_cents=new.manifest["price_cents"],
            listed=True,
            total_downloads=0,
            rating=0.0,
            rating_count=0,
            created_at=now,
            updated_at=now,
        )
    )
    return package_id


def _insert_version(conn: Connection, new: NewVersion, key: str, now: datetime) -> tuple[str, str]:
    package_id = _package_id(conn, new, now)
    version_id = new_id()
    conn.execute(
        insert(versions).values(
            id=version_id,
            package_id=package_id,
            version=new.version,
            status=new.status,
            yanked=False,
            sha256=new.sha256,
            size=new.size,
            blob_key=key,
            manifest=json.dumps(new.manifest, ensure_ascii=False),
            changelog=new.manifest.get("changelog"),
            permissions=json.dumps(new.manifest["permissions"]),
            tools=json.dumps(new.tools),
            argentos_range=new.manifest["compatibility"]["argentos"],
            findings=json.dumps(new.findings),
            key_fingerprint=new.key_fingerprint,
            author_id=new.author_id,
            downloads=0,
            created_at=now,
            published_at=now if new.status == "published" else None,
        )
    )
    if new.status == "published":
        refresh_package(conn, package_id, now=now)
    return version_id, package_id


def store_version(
    engine: Engine, storage: BlobStorage, new: NewVersion, archive: Path, *, now: datetime
) -> tuple[str, str]:
    """Store the blob and the version; return ``(version_id, package_id)``.

    Raises:
        NameTaken: Another author owns the name (checked again inside the transaction).
        VersionExists: A concurrent upload of the same version won.
    """
    key = blob_key(new.sha256)
    pending_id = new_id()
    with transaction(engine) as conn:  # (1)
        conn.execute(insert(pending_blobs).values(id=pending_id, blob_key=key, created_at=now))
    try:
        if not storage.exists(key):  # (2)
            with archive.open("rb") as fh:
                storage.put(key, fh, new.size)
        with transaction(engine) as conn:  # (3)
            ids = _insert_version(conn, new, key, now)
            conn.execute(delete(pending_blobs).where(pending_blobs.c.id == pending_id))
        return ids
    except IntegrityError as exc:
        _abandon(engine, storage, key, pending_id)
        raise VersionExists(
            f"{new.name} {new.version} was published by a concurrent upload",
            hint="versions are immutable: bump the version and publish again",
        ) from exc
    except BaseException:
        _abandon(engine, storage, key, pending_id)
        raise


def blob_needed(conn: Connection, key: str, pending_id: str) -> bool:
    """Whether a committed version, or another upload in flight, relies on the blob.

    An upload records its pending row before it looks at the store, so one that
    might skip writing because our blob exists is always visible here.
    """
    in_flight = conn.execute(
        select(pending_blobs.c.id).where(
            pending_blobs.c.blob_key == key, pending_blobs.c.id != pending_id
        )
    ).first()
    return in_flight is not None or _blob_in_use(conn, key)


def _abandon(engine: Engine, storage: BlobStorage, key: str, pending_id: str) -> None:
    """(4) Undo step 2 unless a version or another upload needs the same bytes.

    Called while another error is on its way to the author: a failure here must not
    replace it. The pending row then stays, and ``admin gc`` finishes the cleanup.
    """
    try:
        with transaction(engine) as conn:
            if not blob_needed(conn, key, pending_id):
                storage.delete(key)
            conn.execute(delete(pending_blobs).where(pending_blobs.c.id == pending_id))
    except Exception:
        log.warning(
            "could not clean up upload %s (blob %s); 'admin gc' will", pending_id, key,
            exc_info=True,
        )  # fmt: skip


def collect_garbage(
    engine: Engine, storage: BlobStorage, *, now: datetime, older_than: timedelta
) -> int:
    """Delete blobs of uploads that never committed (a crash between steps 1 and 4).

    Returns:
        How many pending uploads were cleared.
    """
    with transaction(engine) as conn:
        stale = conn.execute(
            select(pending_blobs.c.id, pending_blobs.c.blob_key).where(
                pending_blobs.c.created_at < now - older_than
            )
        ).all()
    for row in stale:
        with transaction(engine) as conn:
            if not blob_needed(conn, row.blob_key, row.id):
                storage.delete(row.blob_key)
            conn.execute(delete(pending_blobs).where(pending_blobs.c.id == row.id))
    return len(stale)


def fill_name_keys(engine: Engine, batch: int = 1000) -> int:
    """Fill ``name_base``/``name_skeleton`` where they are empty; returns how many.

    Migration 0005 fills the rows it finds; a process of an older release still
    running during an upgrade (or rows written by hand) can add packages without
    them, which the typosquatting lookup would never see. The server runs this at
    start; it costs one index lookup when there is nothing to do.
    """
    filled = 0
    while True:
        with transaction(engine) as conn:
            rows = conn.execute(
                select(packages.c.id, packages.c.name)
                .where(packages.c.name_base == "")
                .limit(batch)
            ).all()
            for row in rows:
                conn.execute(
                    update(packages)
                    .where(packages.c.id == row.id)
                    .values(name_base=base_name(row.name), name_skeleton=skeleton_name(row.name))
                )
        filled += len(rows)
        if len(rows) < batch:
            return filled
