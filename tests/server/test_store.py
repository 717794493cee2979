"""Crash safety of storing a version: garbage collection of abandoned uploads."""

from __future__ import annotations

import io
from datetime import timedelta

from sqlalchemy import insert

from argent_marketplace.db.engine import transaction
from argent_marketplace.publish.models import pending_blobs
from argent_marketplace.publish.store import collect_garbage
from argent_marketplace.storage.interfaces import blob_key
from tests.server.conftest import Market


def test_gc_removes_blobs_of_crashed_uploads(market: Market) -> None:
    """A process killed between writing the blob and committing leaves a pending row."""
    services = market.services
    orphan = blob_key("a1" * 32)
    services.storage.put(orphan, io.BytesIO(b"half-published"), 14)
    with transaction(services.engine) as conn:
        conn.execute(
            insert(pending_blobs).values(id="crashed", blob_key=orphan, created_at=market.clock())
        )
    token = market.register()
    assert market.publish(token, market.package(token)).status_code == 201
    live_blobs = market.blob_count()
    # too recent: an upload may still be in flight
    assert (
        collect_garbage(
            services.engine, services.storage, now=market.clock(), older_than=timedelta(minutes=60)
        )
        == 0
    )
    assert services.storage.exists(orphan)
    later = market.clock() + timedelta(hours=2)
    assert (
        collect_garbage(
            services.engine, services.storage, now=later, older_than=timedelta(minutes=60)
        )
        == 1
    )
    assert not services.storage.exists(orphan)
    assert market.row_count("pending_blobs") == 0
    assert market.blob_count() == live_blobs - 1  # the published blob stays


def test_gc_keeps_blobs_that_a_version_uses(market: Market) -> None:
    token = market.register()
    body = market.publish(token, market.package(token)).json()
    key = blob_key(body["sha256"])
    with transaction(market.services.engine) as conn:
        conn.execute(
            insert(pending_blobs).values(id="stale", blob_key=key, created_at=market.clock())
        )
    later = market.clock() + timedelta(hours=2)
    assert (
        collect_garbage(
            market.services.engine,
            market.services.storage,
            now=later,
            older_than=timedelta(minutes=60),
        )
        == 1
    )
    assert market.services.storage.exists(key)
    assert market.download().status_code == 200
