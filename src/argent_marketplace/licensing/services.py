"""Licenses: issue, activate, deactivate, inspect, revoke, extend; and the download gate.

Status is computed, never stored stale: ``revoked`` when revoked, ``expired`` from
the second ``expires_at`` passes on the server's clock, else ``active``.

Who learns what: the holder of a key who proves it by a machine already
activated on it learns the precise state (``revoked`` and why, ``expired``);
anyone else gets the same ``invalid-license`` answer for unknown and revoked
keys, so key guessing learns nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Connection, Row, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from argent_marketplace.catalog.models import packages, versions
from argent_marketplace.catalog.services import find_package, iso_time
from argent_marketplace.db.metadata import new_id
from argent_marketplace.licensing.errors import InvalidKeyFormat, LicenseRejected, TooManyMachines
from argent_marketplace.licensing.keys import digest, new_key, normalize
from argent_marketplace.licensing.models import activations, license_packages, licenses
from argent_marketplace.licensing.policy import LICENSE_TYPES, terms_for
from argent_marketplace.licensing.tokens import sign_token

__all__ = [
    "REVOKE_REASONS",
    "LicenseKeys",
    "activate",
    "check_for_dashboard",
    "covered_package_ids",
    "deactivate",
    "extend",
    "issue_license",
    "license_state",
    "licensed_package_ids",
    "require_download_license",
    "revoke",
    "validate_many",
]

REVOKE_REASONS = ("refunded", "fraud", "support", "customer-request")
DEFAULT_GRACE = timedelta(hours=72)


@dataclass(frozen=True, slots=True)
class LicenseKeys:
    """The server keys licensing needs: the digest HMAC key and the token signing key."""

    digest_secret: bytes
    signing_key: Ed25519PrivateKey
    grace: timedelta = DEFAULT_GRACE


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _status(row: Row[Any], now: datetime) -> str:
    if row.status == "revoked":
        return "revoked"
    expires = _aware(row.expires_at)
    if expires is not None and now >= expires:
        return "expired"
    return "active"


def _find(conn: Connection, key: str, keys: LicenseKeys) -> Row[Any] | None:
    return conn.execute(
        select(licenses).where(licenses.c.digest == digest(key, keys.digest_secret))
    ).first()


def _invalid() -> LicenseRejected:
    return LicenseRejected(
        "this license key is not valid",
        code="invalid-license",
        hint="check the key, or get a license from the package's page",
    )


def issue_license(
    conn: Connection,
    keys: LicenseKeys,
    *,
    package: str | None,
    license_type: str | None,
    now: datetime,
    org_name: str | None = None,
    extra_packages: tuple[str, ...] = (),
) -> tuple[str, dict[str, Any]]:
    """Issue a license for a paid package (or an organisation); returns ``(key, state)``.

    The type defaults to the package's pricing; free packages need no license.

    Raises:
        PackageNotFound: Unknown package.
        LicenseRejected: ``invalid-license-type`` (free, unknown, or missing).
    """
    row = find_package(conn, package) if package else None
    chosen = license_type or (row["pricing"] if row else None)
    if chosen not in LICENSE_TYPES:
        raise LicenseRejected(
            f"cannot issue a {chosen or 'typeless'} license",
            code="invalid-license-type",
            hint=f"use one of {', '.join(LICENSE_TYPES)}; free packages need no license",
        )
    trial_days = None
    if row is not None and chosen == "trial":
        trial_days = _trial_days(conn, row)
    terms = terms_for(chosen, now, trial_days)
    key = new_key()
    license_id = new_id()
    conn.execute(
        insert(licenses).values(
            id=license_id,
            digest=digest(key, keys.digest_secret),
            type=chosen,
            package_id=row["id"] if row else None,
            org_name=org_name,
            status="active",
            max_activations=terms.max_activations,
            created_at=now,
            expires_at=terms.expires_at,
        )
    )
    for name in extra_packages:
        conn.execute(
            insert(license_packages).values(
                license_id=license_id, package_id=find_package(conn, name)["id"]
            )
        )
    return key, license_state(conn, key, keys, now)


def _trial_days(conn: Connection, package: dict[str, Any]) -> int | None:
    manifest = conn.execute(
        select(versions.c.manifest).where(versions.c.id == package["latest_version_id"])
    ).scalar_one_or_none()
    days = json.loads(manifest).get("trial_days") if manifest else None
    return days if isinstance(days, int) else None


def covered_package_ids(conn: Connection, license_row: Row[Any]) -> set[str]:
    """The packages a license opens: its own, plus an organisation's list."""
    ids = {license_row.package_id} if license_row.package_id else set()
    ids |= set(
        conn.execute(
            select(license_packages.c.package_id).where(
                license_packages.c.license_id == license_row.id
            )
        ).scalars()
    )
    return ids


def _names(conn: Connection, ids: set[str]) -> list[str]:
    if not ids:
        return []
    return sorted(conn.execute(select(packages.c.name).where(packages.c.id.in_(ids))).scalars())


def _activation_count(conn: Connection, license_id: str) -> int:
    return int(
        conn.execute(
            select(func.count())
            .select_from(activations)
            .where(activations.c.license_id == license_id)
        ).scalar_one()
    )


def license_state(
    conn: Connection,
    key: str,
    keys: LicenseKeys,
    now: datetime,
    *,
    fingerprint: str | None = None,
    reveal: bool = False,
) -> dict[str, Any]:
    """``GET /api/v1/license/{key}``: status, type, expiry, activations.

    Raises:
        InvalidKeyFormat: A malformed key.
        LicenseRejected: ``invalid-license`` for unknown keys, and for revoked ones
            unless ``fingerprint`` is a machine activated on the license (or ``reveal``,
            for administrators).
    """
    row = _find(conn, key, keys)
    if row is None:
        raise _invalid()
    status = _status(row, now)
    if status == "revoked" and not reveal and not _is_activated(conn, row.id, fingerprint):
        raise _invalid()
    return {
        "status": status,
        "type": row.type,
        "expires_at": iso_time(row.expires_at),
        "activations": _activation_count(conn, row.id),
        "max_activations": row.max_activations,
        "packages": _names(conn, covered_package_ids(conn, row)),
        "org_name": row.org_name,
        **({"revoke_reason": row.revoke_reason} if status == "revoked" else {}),
    }


def _is_activated(conn: Connection, license_id: str, fingerprint: str | None) -> bool:
    if not fingerprint:
        return False
    return (
        conn.execute(
            select(activations.c.id).where(
                activations.c.license_id == license_id, activations.c.fingerprint == fingerprint
            )
        ).first()
        is not None
    )


def _refuse_unusable(
    conn: Connection,
    row: Row[Any],
    now: datetime,
    fingerprint: str | None,
) -> None:
    status = _status(row, now)
    if status == "active":
        return
    owner = _is_activated(conn, row.id, fingerprint)
    if status == "revoked":
        if not owner:
            raise _invalid()
        raise LicenseRejected(
            f"this license was revoked ({row.revoke_reason})",
            code="license-revoked",
            hint="contact the seller",
        )
    raise LicenseRejected(
        f"this license expired on {iso_time(row.expires_at)}",
        code="license-expired",
        hint="renew the license",
    )


def activate(
    conn: Connection,
    keys: LicenseKeys,
    *,
    key: str,
    instance_id: str,
    fingerprint: str,
    now: datetime,
) -> dict[str, Any]:
    """Activate a machine: the same machine again takes no extra slot.

    Raises:
        LicenseRejected: ``invalid-license``, ``license-expired``, ``license-revoked``.
        TooManyMachines: Every slot is taken by other machines.
    """
    key = normalize(key)
    row = conn.execute(
        select(licenses)
        .where(licenses.c.digest == digest(key, keys.digest_secret))
        .with_for_update()
    ).first()
    if row is None:
        raise _invalid()
    _refuse_unusable(conn, row, now, fingerprint)
    known = conn.execute(
        select(activations.c.id).where(
            activations.c.license_id == row.id,
            (activations.c.fingerprint == fingerprint) | (activations.c.instance_id == instance_id),
        )
    ).first()
    if known is not None:
        conn.execute(
            update(activations)
            .where(activations.c.id == known.id)
            .values(last_seen_at=now, fingerprint=fingerprint, instance_id=instance_id)
        )
    else:
        used = _activation_count(conn, row.id)
        if row.max_activations is not None and used >= row.max_activations:
            raise TooManyMachines(
                f"this {row.type} license is active on {used} machine(s), its maximum",
                hint="deactivate it on another machine: argent marketplace license deactivate",
            )
        try:
            with conn.begin_nested():
                conn.execute(
                    insert(activations).values(
                        id=new_id(),
                        license_id=row.id,
                        fingerprint=fingerprint,
                        instance_id=instance_id,
                        created_at=now,
                        last_seen_at=now,
                    )
                )
        except IntegrityError as exc:  # the same machine raced itself
            raise TooManyMachines("this machine is being activated concurrently") from exc
    state = license_state(conn, key, keys, now, fingerprint=fingerprint)
    payload = {
        "v": 1,
        "lic": row.id,
        "type": row.type,
        "pkgs": state["packages"],
        "exp": state["expires_at"].replace("Z", "+00:00") if state["expires_at"] else None,
        "fp": fingerprint,
        "iat": int(now.timestamp()),
        "grace": int(keys.grace.total_seconds()),
    }
    return {**state, "token": sign_token(keys.signing_key, payload)}


def deactivate(
    conn: Connection,
    keys: LicenseKeys,
    *,
    key: str,
    fingerprint: str,
    instance_id: str | None = None,
) -> dict[str, Any]:
    """Free this machine's slot.

    Raises:
        LicenseRejected: ``invalid-license``, or ``not-activated`` for an unknown machine.
    """
    row = _find(conn, key, keys)
    if row is None:
        raise _invalid()
    where = activations.c.fingerprint == fingerprint
    if instance_id:
        where = where | (activations.c.instance_id == instance_id)
    done = conn.execute(delete(activations).where(activations.c.license_id == row.id, where))
    if done.rowcount == 0:
        raise LicenseRejected(
            "this machine is not activated on that license",
            code="not-activated",
            hint="nothing to deactivate",
        )
    return {"deactivated": True, "activations": _activation_count(conn, row.id)}


def check_for_dashboard(
    conn: Connection, keys: LicenseKeys, key: str, now: datetime
) -> dict[str, Any]:
    """The existing dashboard's shape: ``valid``, ``status``, ``type``, ``orgName``, ``error``."""
    try:
        state = license_state(conn, key, keys, now)
    except LicenseRejected as exc:
        return {
            "valid": False,
            "status": "invalid",
            "type": None,
            "orgName": None,
            "error": exc.message,
        }
    except Exception as exc:  # noqa: BLE001 - a malformed key is just "not valid" here
        return {
            "valid": False,
            "status": "invalid",
            "type": None,
            "orgName": None,
            "error": getattr(exc, "message", "invalid license key"),
        }
    valid = state["status"] == "active"
    return {
        "valid": valid,
        "status": state["status"],
        "type": state["type"],
        "orgName": state["org_name"],
        "error": "" if valid else f"license {state['status']}",
    }


def validate_many(
    conn: Connection, keys: LicenseKeys, submitted: list[str], now: datetime
) -> list[dict[str, Any]]:
    """Validate up to 100 keys at once, answering in the dashboard's shape per key."""
    return [check_for_dashboard(conn, keys, k, now) for k in submitted[:100]]


def revoke(conn: Connection, keys: LicenseKeys, key: str, reason: str, now: datetime) -> None:
    """Revoke a license; downloads and activations stop at once.

    Raises:
        LicenseRejected: ``invalid-license`` or ``invalid-reason``.
    """
    if reason not in REVOKE_REASONS:
        raise LicenseRejected(
            f"unknown reason {reason!r}",
            code="invalid-reason",
            hint=f"use one of {', '.join(REVOKE_REASONS)}",
        )
    done = conn.execute(
        update(licenses)
        .where(licenses.c.digest == digest(key, keys.digest_secret))
        .values(status="revoked", revoke_reason=reason, revoked_at=now)
    )
    if done.rowcount == 0:
        raise _invalid()


def extend(conn: Connection, keys: LicenseKeys, key: str, days: int, now: datetime) -> None:
    """Push the expiry ``days`` further (from now if already expired).

    Raises:
        LicenseRejected: ``invalid-license``, or ``perpetual`` for a license that never expires.
    """
    row = _find(conn, key, keys)
    if row is None:
        raise _invalid()
    expires = _aware(row.expires_at)
    if expires is None:
        raise LicenseRejected("this license never expires", code="perpetual")
    base = max(expires, now)
    conn.execute(
        update(licenses)
        .where(licenses.c.id == row.id)
        .values(expires_at=base + timedelta(days=days))
    )


def require_download_license(
    conn: Connection, keys: LicenseKeys, key: str | None, package_id: str, now: datetime
) -> None:
    """Allow a paid download only with an active, activated license covering the package.

    Raises:
        LicenseRejected: With a code saying what is missing (callers answer 402).
    """
    if not key:
        raise LicenseRejected("a license key is required", code="license-required")
    try:
        row = _find(conn, key, keys)
    except Exception as exc:
        raise _invalid() from exc
    if row is None or _status(row, now) == "revoked":
        raise _invalid()
    if _status(row, now) == "expired":
        raise LicenseRejected("the license has expired", code="license-expired")
    if package_id not in covered_package_ids(conn, row):
        raise LicenseRejected(
            "this license does not cover this package", code="license-not-for-package"
        )
    if _activation_count(conn, row.id) == 0:
        raise LicenseRejected(
            "activate the license on this machine first", code="license-not-activated"
        )


def licensed_package_ids(
    conn: Connection, keys: LicenseKeys, key: str | None, now: datetime
) -> list[str]:
    """Packages an active license covers (for the licensed catalog); none for anything else."""
    if not key:
        return []
    try:
        row = _find(conn, key, keys)
    except InvalidKeyFormat:
        return []
    if row is None or _status(row, now) != "active":
        return []
    return sorted(covered_package_ids(conn, row))
