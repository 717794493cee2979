"""Moderator actions, each recorded with a reason the author can read.

* ``approve``: pending_review or flagged -> published.
* ``reject``: pending_review or flagged -> rejected (never served; the version
  number stays used).
* ``yank`` / ``unyank``: a published version leaves (or rejoins) ``latest`` and
  search; it stays installable by exact version.
* ``remove``: the blob is deleted and the row kept as a tombstone: never served
  again, and the version number can never be reused.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, update

from argent_marketplace.catalog.errors import PackageNotFound
from argent_marketplace.catalog.models import moderation_events, packages, versions
from argent_marketplace.catalog.services import refresh_package
from argent_marketplace.db.engine import transaction
from argent_marketplace.db.metadata import new_id
from argent_marketplace.errors import Error
from argent_marketplace.publish.store import blob_needed
from argent_marketplace.storage.interfaces import BlobStorage

__all__ = [
    "ACTIONS",
    "InvalidTransition",
    "ReasonRequired",
    "apply_action",
    "list_reviews",
    "show_version",
]

ACTIONS = ("approve", "reject", "yank", "unyank", "remove")
_FROM = {
    "approve": {"pending_review", "flagged"},
    "reject": {"pending_review", "flagged"},
    "yank": {"published"},
    "unyank": {"published"},
    "remove": {"published", "pending_review", "flagged", "rejected"},
}


class ReasonRequired(Error):
    """Moderator actions must say why."""

    code = "reason-required"
    http_status = 400


class InvalidTransition(Error):
    """The action does not apply to the version's current state."""

    code = "invalid-transition"
    http_status = 409


def list_reviews(
    conn: Connection, statuses: tuple[str, ...] = ("pending_review", "flagged")
) -> list[dict[str, Any]]:
    """Versions waiting for a moderator, oldest first."""
    rows = (
        conn.execute(
            select(
                versions.c.id,
                versions.c.version,
                versions.c.status,
                versions.c.created_at,
                versions.c.findings,
                packages.c.name,
            )
            .join(packages, packages.c.id == versions.c.package_id)
            .where(versions.c.status.in_(statuses))
            .order_by(versions.c.created_at)
        )
        .mappings()
        .all()
    )
    return [{**dict(r), "findings": len(json.loads(r["findings"]))} for r in rows]


def show_version(conn: Connection, version_id: str) -> dict[str, Any]:
    """A version with its findings and moderation history.

    Raises:
        PackageNotFound: No such version.
    """
    row = (
        conn.execute(
            select(versions, packages.c.name)
            .join(packages, packages.c.id == versions.c.package_id)
            .where(versions.c.id == version_id)
        )
        .mappings()
        .first()
    )
    if row is None:
        raise PackageNotFound(f"no version {version_id}")
    events = (
        conn.execute(
            select(moderation_events)
            .where(moderation_events.c.version_id == version_id)
            .order_by(moderation_events.c.created_at)
        )
        .mappings()
        .all()
    )
    out = dict(row)
    out["findings"] = json.loads(row["findings"])
    out["manifest"] = json.loads(row["manifest"])
    out["events"] = [dict(e) for e in events]
    return out


def apply_action(
    engine: Engine,
    storage: BlobStorage,
    version_id: str,
    action: str,
    *,
    reason: str,
    actor: str,
    now: datetime,
) -> dict[str, Any]:
    """Apply one moderator action and record it; a removed blob is deleted after commit.

    Raises:
        PackageNotFound: No such version.
        InvalidTransition: The action does not fit the version's state.
    """
    if action not in ACTIONS:
        raise InvalidTransition(f"unknown action '{action}'", hint=f"use one of {ACTIONS}")
    if not reason.strip():
        raise ReasonRequired("a reason is required", hint="say why: the author reads it")
    with transaction(engine) as conn:
        row = (
            conn.execute(select(versions).where(versions.c.id == version_id).with_for_update())
            .mappings()
            .first()
        )
        if row is None:
            raise PackageNotFound(f"no version {version_id}")
        toggles = action in ("yank", "unyank")
        if row["status"] not in _FROM[action] or (toggles and (action == "yank") == row["yanked"]):
            state = row["status"] + (" and yanked" if row["yanked"] else "")
            raise InvalidTransition(f"cannot {action} a version that is {state}")
        conn.execute(
            update(versions)
            .where(versions.c.id == version_id)
            .values(review_reason=reason, **_changes(action, now))
        )
        conn.execute(
            insert(moderation_events).values(
                id=new_id(),
                version_id=version_id,
                action=action,
                reason=reason,
                actor=actor,
                created_at=now,
            )
        )
        refresh_package(conn, row["package_id"], now=now)
    blob = row["blob_key"]
    if action == "remove" and blob:
        with transaction(engine) as conn:
            if not blob_needed(conn, blob, pending_id=""):
                storage.delete(blob)
    with engine.connect() as conn:
        return show_version(conn, version_id)


def _changes(action: str, now: datetime) -> dict[str, Any]:
    changes: dict[str, dict[str, Any]] = {
        "approve": {"status": "published", "published_at": now},
        "reject": {"status": "rejected"},
        "yank": {"yanked": True},
        "unyank": {"yanked": False},
        "remove": {"status": "removed", "blob_key": None},
    }
    return changes[action]
