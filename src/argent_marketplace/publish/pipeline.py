"""The publish pipeline of spec Step 5, stage by stage.

1. Schema: the archive is safe and the manifest and ``connector.json`` valid
   (400 with every problem; 413 when over the size limits). A ``manifest`` form
   field, when sent, must equal the manifest inside (400).
2. Signature and checksums hold (422), with a key that is an active key of the
   token's author (403 ``unknown-signing-key`` / ``revoked-key``).
3. Name and version: the name is the author's or new (403 ``name-taken``); the
   version is new (409 ``version-exists``), or the very same bytes (idempotent).
4. Static analysis and permission audit: findings, then the verdict.
5. Store: blob, then rows, atomically (``publish.store``).

Nothing is written before stage 5, so every refusal leaves nothing behind.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, or_, select

from argent_marketplace.accounts.services import Principal, added_after_first_key, key_state
from argent_marketplace.catalog.models import packages, versions
from argent_marketplace.db.expressions import one_of
from argent_marketplace.package.errors import IntegrityError, PackageError
from argent_marketplace.package.jsondoc import load_json_object
from argent_marketplace.package.limits import Limits
from argent_marketplace.package.manifest import Manifest
from argent_marketplace.package.signing import fingerprint
from argent_marketplace.package.verify import VerificationReport, check_package
from argent_marketplace.publish.errors import (
    KeyRejected,
    NameTaken,
    PackageRejected,
    PackageTooLarge,
    SignatureRejected,
    VersionExists,
)
from argent_marketplace.publish.scan import Finding, ScanContext, Scanner, verdict
from argent_marketplace.publish.scan_cache import SharedScanCache
from argent_marketplace.publish.store import NewVersion, store_version
from argent_marketplace.scan.facts import is_scan_record
from argent_marketplace.scan.inputs import read_package_files
from argent_marketplace.scan.names import (
    base_name,
    claimed_base,
    one_edit_variants,
    skeleton_name,
)
from argent_marketplace.storage.interfaces import BlobStorage

__all__ = ["PublishContext", "PublishResult", "publish_package"]

_SIZE_CODES = {"package-too-large", "decompressed-size-exceeded", "member-too-large"}


@dataclass(frozen=True, slots=True)
class PublishContext:
    """What the pipeline needs from the server."""

    engine: Engine
    storage: BlobStorage
    scanner: Scanner
    limits: Limits
    clock: Callable[[], datetime]
    # A version signed by a key the author added less than this long ago waits for a
    # moderator (SECURITY-CASES B8: a stolen token plus a new key must not ship code).
    key_cooling_off: timedelta = timedelta(0)
    # What files contributed to earlier scans, shared by every server process.
    scan_cache: SharedScanCache | None = None


@dataclass(frozen=True, slots=True)
class PublishResult:
    """The answer of ``POST /api/v1/publish``."""

    status: str
    id: str
    package_id: str
    name: str
    version: str
    sha256: str
    findings: list[dict[str, Any]] = field(default_factory=list)
    created: bool = True

    def to_dict(self) -> dict[str, Any]:
        """JSON body."""
        return {
            "status": self.status,
            "id": self.id,
            "package_id": self.package_id,
            "name": self.name,
            "version": self.version,
            "sha256": self.sha256,
            "findings": self.findings,
            "created": self.created,
        }


def _problems(errors: Sequence[PackageError]) -> list[dict[str, Any]]:
    return [e.to_dict() for e in errors]


def _check_schema(report: VerificationReport, manifest_field: str | None) -> None:
    # (1) schema: archive, required files, manifest, connector.json
    schema = [p for p in report.problems if not isinstance(p, IntegrityError)]
    if schema:
        first = schema[0]
        kind = PackageTooLarge if first.code in _SIZE_CODES else PackageRejected
        raise kind(
            first.message, code=first.code, hint=first.hint, details={"problems": _problems(schema)}
        )
    if manifest_field is not None:
        try:
            sent = load_json_object(manifest_field.encode(), "manifest")
        except PackageError as exc:
            raise PackageRejected(
                exc.message, code="invalid-manifest-field", hint=exc.hint
            ) from exc
        if sent != report.manifest_doc:
            raise PackageRejected(
                "the manifest form field differs from argent.plugin.json inside the package",
                code="manifest-mismatch",
                hint="send the same argent.plugin.json you packed, or omit the field",
            )


def _check_signature(report: VerificationReport, ctx: PublishContext, author_id: str) -> None:
    # (2) signature and checksums, then the key's registration to this author
    integrity = [p for p in report.problems if isinstance(p, IntegrityError)]
    if integrity:
        first = integrity[0]
        raise SignatureRejected(
            first.message,
            code=first.code,
            hint=first.hint,
            details={"problems": _problems(integrity)},
        )
    assert report.manifest is not None  # no problems at all by now
    with ctx.engine.connect() as conn:
        state = key_state(conn, author_id, report.manifest.public_key)
    if state == "revoked":
        raise KeyRejected(
            "the package is signed with a key you revoked",
            code="revoked-key",
            hint="sign with an active key of your account (or register a new one)",
        )
    if state != "active":
        raise KeyRejected(
            "the package's author.publicKey is not a key registered to your account",
            code="unknown-signing-key",
            hint="register the key (POST /api/v1/authors/me/keys) or sign with a registered one",
        )


def _existing(
    ctx: PublishContext, name: str, version: str, author_id: str
) -> dict[str, Any] | None:
    # (3) ownership of the name and immutability of versions
    with ctx.engine.connect() as conn:
        package = conn.execute(
            select(packages.c.id, packages.c.owner_id).where(packages.c.name == name)
        ).first()
        if package is None:
            return None
        if package.owner_id != author_id:
            raise NameTaken(
                f"the name '{name}' belongs to another author",
                hint="choose another name for your connector",
            )
        row = (
            conn.execute(
                select(versions).where(
                    versions.c.package_id == package.id, versions.c.version == version
                )
            )
            .mappings()
            .first()
        )
    return dict(row) if row else None


def _new_key_findings(
    ctx: PublishContext, manifest: Manifest, author_id: str
) -> list[dict[str, Any]]:
    """A medium finding (so: review) when the signing key is younger than the cooling-off."""
    if ctx.key_cooling_off <= timedelta(0):
        return []
    with ctx.engine.connect() as conn:
        added = added_after_first_key(conn, author_id, manifest.public_key)
    if added is None:
        return []
    age = ctx.clock() - added
    if age >= ctx.key_cooling_off:
        return []
    hours = ctx.key_cooling_off.total_seconds() / 3600
    return [
        Finding(
            "new-signing-key",
            "medium",
            "argent.plugin.json",
            0,
            f"signed by a key added to your account {age.total_seconds() / 3600:.1f} hours ago: "
            f"for {hours:g} hours after a key is added, versions it signs wait for a moderator "
            "(if you did not add this key, revoke it and your tokens now)",
            f"key {fingerprint(manifest.public_key)[:16]}",
        ).to_dict()
    ]


def _other_authors_names(ctx: PublishContext, name: str, author_id: str) -> list[str]:
    """Other authors' names that ``name`` could imitate: the same skeleton, one edit away,
    or the name without a word claiming authority.

    Two index lookups (``name_skeleton``, ``name_base`` among the one-edit variants)
    instead of reading every name; the scanner's typosquatting rule then decides.
    """
    base = base_name(name)
    claimed = claimed_base(name)  # aos-slack-official: aos-slack's owner is the one to ask
    keys = sorted(one_edit_variants(base) | {base} | ({claimed} if claimed else set()))
    with ctx.engine.connect() as conn:
        rows = conn.execute(
            select(packages.c.name).where(
                packages.c.owner_id != author_id,
                or_(
                    packages.c.name_skeleton == skeleton_name(name),
                    one_of(packages.c.name_base, keys, conn.dialect.name),
                ),
            )
        )
        return [row.name for row in rows]


def _scan(
    ctx: PublishContext, archive: Path, manifest: Manifest, author_id: str
) -> list[dict[str, Any]]:
    # (4) static analysis and permission audit: every file is read by the safe reader
    # (binaries only their first bytes); text over the read budget becomes `not-scanned`.
    collected = read_package_files(archive, ctx.limits)
    keys: dict[str, str] = {}
    known: dict[str, str] = {}
    if ctx.scan_cache is not None:  # files an earlier scan analysed are not analysed again
        keys, known = ctx.scan_cache.known(collected.files)
    learned: dict[str, str] = {}
    context = ScanContext(
        name=manifest.name,
        existing_names=_other_authors_names(ctx, manifest.name, author_id),
        unscanned=tuple(collected.unscanned),
        sizes=collected.sizes,
        known=known,
        learned=learned if ctx.scan_cache is not None else None,
        fingerprint=ctx.scan_cache.fingerprint if ctx.scan_cache is not None else None,
    )
    # In a server, the scan runs in a worker process (scan.workers); it may refuse with
    # ScannerUnavailable (503), before anything is stored.
    found = ctx.scanner.scan(collected.files, manifest.permissions, context)
    if ctx.scan_cache is not None:
        # What a worker learned is checked before every process trusts it.
        entries = {
            keys[path]: facts
            for path, facts in learned.items()
            if path in keys and is_scan_record(facts, path)
        }
        ctx.scan_cache.record(entries, ctx.clock())
    return [f.to_dict() for f in found]


def publish_package(
    ctx: PublishContext,
    author_id: str,
    archive: Path,
    manifest_field: str | None = None,
    *,
    package_scope: str | None = None,
) -> PublishResult:
    """Run the pipeline on an uploaded archive (already on disk, size-capped).

    Args:
        ctx: The server's collaborators.
        author_id: The publishing author (from the token).
        archive: The uploaded file.
        manifest_field: The optional ``manifest`` form field.
        package_scope: The one package the token may publish, if it is so limited.

    Raises:
        PublishError: The refusal, with nothing stored.
        Forbidden: ``token-scope`` when the token is for another package.
    """
    try:
        report = check_package(archive, limits=ctx.limits)
    except PackageError as exc:  # only an unusable expected key can raise here
        raise PackageRejected(exc.message, code=exc.code, hint=exc.hint) from exc
    _check_schema(report, manifest_field)
    if package_scope is not None and report.manifest is not None:
        Principal("", author_id, frozenset(), package_scope).require_package(report.manifest.name)
    _check_signature(report, ctx, author_id)
    manifest, contents = report.manifest, report.contents
    assert manifest is not None and contents is not None
    sha256 = contents.listing.sha256
    existing = _existing(ctx, manifest.name, manifest.version, author_id)
    if existing is not None:
        if existing["sha256"] == sha256 and existing["status"] != "removed":
            return PublishResult(
                existing["status"],
                existing["id"],
                existing["package_id"],
                manifest.name,
                manifest.version,
                sha256,
                json.loads(existing["findings"]),
                created=False,
            )
        raise VersionExists(
            f"{manifest.name} {manifest.version} already exists"
            + (" and was removed" if existing["status"] == "removed" else ""),
            code="version-removed" if existing["status"] == "removed" else "version-exists",
            hint="versions are immutable: bump the version in argent.plugin.json and "
            "connector.json, then pack and publish again",
        )
    findings = _new_key_findings(ctx, manifest, author_id) + _scan(
        ctx, archive, manifest, author_id
    )
    status = verdict_from_dicts(findings)
    connector = load_json_object(contents.control["connector.json"], "connector.json")
    tools = [c["id"] for c in connector.get("commands", []) if isinstance(c, dict)]
    new = NewVersion(
        name=manifest.name,
        version=manifest.version,
        status=status,
        sha256=sha256,
        size=contents.listing.compressed_size,
        manifest=manifest.raw,
        tools=tools,
        findings=findings,
        key_fingerprint=fingerprint(manifest.public_key),
        author_id=author_id,
    )
    # (5) store
    version_id, package_id = store_version(ctx.engine, ctx.storage, new, archive, now=ctx.clock())
    return PublishResult(
        status, version_id, package_id, manifest.name, manifest.version, sha256, findings
    )


def verdict_from_dicts(findings: list[dict[str, Any]]) -> str:
    """:func:`publish.scan.verdict` over stored (dict) findings."""
    return verdict([Finding(**f) for f in findings])
