"""Install, update and uninstall connectors: nothing unverified ever lands.

An install, in order:

1. Resolve: the marketplace announces version, sha256, size, URL and signing key.
2. Download into a staging folder inside ``connectors/`` (same filesystem),
   capped at the announced size and a deadline, hashing as it goes.
3. Verify the archive (safe reader, manifest, checksums, signature) and that it
   is the package and version that was asked for.
4. Trust the key: it must be a registered key of the package's author (not
   revoked before this version was published), and the key pinned on first use
   unless the author rotated to the new one or the user accepts it.
5. Check compatibility with the local ArgentOS, and refuse downgrades.
6. Extract into staging, write ``.argent-install.json``, then swap into place
   with renames, recorded in a journal so that an interrupted swap is rolled
   back on the next run. The previous version stays until the new one is in.

Any failure removes the staging folder and leaves ``connectors/`` as it was.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from argent_marketplace.catalog.semver import precedence
from argent_marketplace.client.api import MarketplaceApi
from argent_marketplace.client.argentos import local_argentos_version
from argent_marketplace.client.download import Progress, fetch_archive
from argent_marketplace.client.errors import ApiError, InstallConflict, InstallRefused
from argent_marketplace.client.installed import INSTALL_RECORD, InstallRecord, read_record
from argent_marketplace.client.trust import TrustStore
from argent_marketplace.errors import Error
from argent_marketplace.package.compat import parse_argentos_version, parse_range
from argent_marketplace.package.extract import extract_package
from argent_marketplace.package.manifest import NAME_RE
from argent_marketplace.package.verify import VerifiedPackage, verify_package

__all__ = ["InstallOptions", "InstallResult", "Installer"]

Notify = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class InstallOptions:
    """What the user asked for on the command line."""

    version: str | None = None
    force: bool = False
    allow_downgrade: bool = False
    accept_new_key: bool = False
    with_harness: bool = False
    argentos_version: str | None = None
    public_key: str | None = None
    license_key: str | None = None
    deadline_seconds: float = 300.0


@dataclass(frozen=True, slots=True)
class InstallResult:
    """What happened."""

    name: str
    version: str
    previous_version: str | None
    path: Path
    sha256: str
    key_fingerprint: str
    changed: bool
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON form for ``--json``."""
        return {
            "name": self.name,
            "version": self.version,
            "previous_version": self.previous_version,
            "path": str(self.path),
            "sha256": self.sha256,
            "key_fingerprint": self.key_fingerprint,
            "changed": self.changed,
            "notes": self.notes,
        }


def _check_name(name: str) -> str:
    # A name becomes a folder name: only canonical connector names pass (SECURITY A19).
    if not NAME_RE.fullmatch(name) or len(name) > 64:
        raise InstallConflict(
            f"'{name}' is not a connector name",
            code="invalid-name",
            hint="connector names look like aos-airtable",
        )
    return name


class Installer:
    """Installs into ``$ARGENTOS_HOME/connectors``; one operation at a time (file lock)."""

    def __init__(self, home: Path, *, notify: Notify, trust: TrustStore | None = None) -> None:
        self.home = home
        self.connectors = home / "connectors"
        self.staging_root = self.connectors / ".staging"
        self.trust = trust or TrustStore(home / "marketplace" / "trust.json")
        self.notify = notify
        self._lock_fd: int | None = None

    # --- locking and crash recovery -------------------------------------------------------

    @contextmanager
    def locked(self, *, wait: bool = True) -> Iterator[None]:
        """Serialise installs, then finish or undo whatever a crashed run left behind.

        Raises:
            BlockingIOError: ``wait=False`` and another run holds the lock.
        """
        self.staging_root.mkdir(parents=True, exist_ok=True, mode=0o755)
        with (self.connectors / ".lock").open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
            self._lock_fd = lock.fileno()
            try:
                self.recover()
                yield
            finally:
                self._lock_fd = None
                fcntl.flock(lock, fcntl.LOCK_UN)

    def settle(self, *, wait: bool = True) -> None:
        """Finish or undo a crashed run's swap now, so that what is installed is known.

        ``wait=False`` (for read-only commands) settles only when no other run holds the
        lock and the folder is writable: a running install's stage is not a crash.
        """
        if not (self.staging_root.is_dir() and any(self.staging_root.iterdir())):
            return
        if wait:
            with self.locked():
                return
        try:
            with self.locked(wait=False):
                return
        except OSError:
            return  # busy (an install is running) or not ours to write: list as it is

    def recover(self) -> list[str]:
        """Finish or undo what crashed runs left in staging; returns the restored names.

        A swap's journal says which connector it replaced, which install the new folder
        came from (a random id also written in its install record) and whether the swap
        committed. Uncommitted: the new version goes and the old one comes back. A stage
        holding an old version whose place is unknown is moved to
        ``connectors/.recovered/``, never deleted.
        """
        stages = sorted(self.staging_root.iterdir()) if self.staging_root.is_dir() else []
        return [name for stage in stages if (name := self._recover_stage(stage))]

    def _recover_stage(self, stage: Path) -> str | None:
        """Settle one stage (under the lock); the connector put back, if any."""
        old = stage / "old"
        journal = _read_journal(stage)
        name = self._journal_name(journal, old)
        restored = None
        if name is None:
            if old.exists():
                self._set_aside(stage)
                return None
        elif journal.get("state") != "committed":
            target = self.connectors / name
            if _is_new_version(target, journal):
                target.rename(stage / "failed")  # uncommitted: the new one goes
            if old.is_dir() and not target.exists():
                old.rename(target)
                restored = name
            elif old.exists():
                # Which folder is current cannot be told (a damaged journal): keep both.
                self._set_aside(stage)
                return None
        # The journal goes last: a run killed while deleting finds it and carries on.
        for part in sorted(stage.iterdir()) if stage.is_dir() else []:
            if part.name != _JOURNAL:
                _remove(part)
        shutil.rmtree(stage, ignore_errors=True)
        return restored

    @contextmanager
    def _staged(self) -> Iterator[Path]:
        """A fresh stage (the caller holds the lock), settled by recovery however it ends.

        Committed or never swapped: cleaned. Interrupted mid-swap: undone, old version back.
        """
        stage = Path(os.path.realpath(self.staging_root)) / uuid.uuid4().hex
        stage.mkdir()
        try:
            yield stage
        finally:
            self._recover_stage(stage)

    def _journal_name(self, journal: dict[str, Any], old: Path) -> str | None:
        """The connector a swap was replacing: from the journal, else from the old record."""
        named = journal.get("name")
        if named is None and isinstance(journal.get("target"), str):  # older journals
            named = Path(journal["target"]).name
        if isinstance(named, str) and NAME_RE.fullmatch(named):
            return named
        record = read_record(old)
        return record.name if record is not None and NAME_RE.fullmatch(record.name) else None

    def _set_aside(self, stage: Path) -> None:
        """Keep a stage whose old version cannot be put back safely, and say where."""
        kept = self.connectors / ".recovered" / stage.name
        kept.parent.mkdir(parents=True, exist_ok=True)
        stage.rename(kept)
        self.notify(
            f"WARNING: an interrupted install left a connector folder whose place is unknown; "
            f"it is kept in {kept}"
        )

    # --- the swap -------------------------------------------------------------------------

    def _target(self, name: str) -> Path:
        target = self.connectors / _check_name(name)
        if target.is_symlink() or (target.exists() and not target.is_dir()):
            raise InstallConflict(
                f"{target} is a link or a file, not a connector folder",
                code="unsafe-target",
                hint="move it away; the marketplace never installs through links",
            )
        return target

    def _swap_in(self, stage: Path, new: Path, target: Path, swap: str) -> None:
        """Put ``new`` at ``target``; the previous folder waits in ``stage/old``.

        The journal is on disk first: it names the connector and ``swap``, the random id
        in the new folder's install record, so recovery can tell the new version from
        the old one or from a folder someone put there since.
        """
        entry = {"name": target.name, "state": "swapping", "swap": swap}
        _write_durably(stage / _JOURNAL, json.dumps(entry).encode())
        if target.exists():
            target.rename(stage / "old")
        new.rename(target)

    def _commit(self, stage: Path) -> None:
        """The new version is complete (its harness too): from now on recovery keeps it."""
        entry = {**_read_journal(stage), "state": "committed"}
        _write_durably(stage / _JOURNAL, json.dumps(entry).encode())

    def _swap_back(self, stage: Path, target: Path) -> None:
        """Undo :meth:`_swap_in` (the new version failed after landing)."""
        failed = stage / "failed"
        if target.exists():
            target.rename(failed)
        if (stage / "old").is_dir():
            (stage / "old").rename(target)

    # --- installing -----------------------------------------------------------------------

    def install(
        self,
        api: MarketplaceApi,
        name: str,
        options: InstallOptions,
        progress: Callable[[int], Progress | None] | None = None,
    ) -> InstallResult:
        """Install ``name`` (at ``options.version``, default latest) from the marketplace.

        Raises:
            ApiError: Unknown package (404), license required (402), server failures.
            DownloadFailed: The download broke off, overran or stalled.
            InstallRefused: sha256, signature, checksums or key trust failed.
            InstallConflict: Incompatible ArgentOS, downgrade, unsafe target.
            PackageError: The archive itself is unsafe or invalid.
        """
        target = self._target(name)
        self.settle()
        current = read_record(target)
        if current is None and target.exists() and not options.force:
            raise _not_ours(target)  # before any download
        if current and not options.force and _still_current(api, name, current, options):
            return _unchanged(current, target)
        info = api.download_info(name, options.version, options.license_key)
        if info.get("name") != name or (options.version and info.get("version") != options.version):
            raise InstallRefused(
                f"the marketplace offered {info.get('name')} {info.get('version')} for {name}",
                code="statement-mismatch",
                hint="the server answered for another package",
            )
        if (
            current
            and current.version == info["version"]
            and current.sha256 == info["sha256"]
            and not options.force
        ):
            return _unchanged(current, target)
        with self.locked(), self._staged() as stage:
            archive = stage / "download.argent-pkg"
            fetch_archive(
                info["url"],
                archive,
                size=int(info["size"]),
                sha256=info["sha256"],
                deadline_seconds=options.deadline_seconds,
                progress=progress(int(info["size"])) if progress else None,
            )
            verified = verify_package(archive)
            self._check_statement(verified, name, info["version"])
            notes = self._trust_key(verified, api, info, options.license_key)
            return self._land(
                stage=stage,
                archive=archive,
                verified=verified,
                target=target,
                options=options,
                notes=notes,
                source=api.base_url,
            )

    def install_file(self, path: Path, options: InstallOptions) -> InstallResult:
        """Install a local ``.argent-pkg`` with the same checks (key from --public-key or a pin).

        Raises:
            InstallRefused: No key to trust, or the key is not the pinned/given one.
            PackageError: The archive is unsafe, invalid or not signed by that key.
        """
        verified = verify_package(path, public_key=options.public_key)
        name = verified.manifest.name
        if verified.manifest.pricing != "free":
            _require_offline_license(name)
        target = self._target(name)
        pin = self.trust.get(name)
        notes: list[str] = []
        if options.public_key is None:
            if pin is None:
                raise InstallRefused(
                    f"no trusted key for {name}: a local file cannot be checked against the "
                    "marketplace",
                    code="unknown-key",
                    hint="pass --public-key with the author's key (base64)",
                )
            if pin.public_key != verified.manifest.public_key and not options.accept_new_key:
                raise self._unexpected_key(name, pin.fingerprint, verified.key_fingerprint)
        with self.locked(), self._staged() as stage:
            return self._land(
                stage=stage,
                archive=path,
                verified=verified,
                target=target,
                options=options,
                notes=notes,
                source=f"file:{path.resolve()}",
            )

    @staticmethod
    def _check_statement(verified: VerifiedPackage, name: str, version: str) -> None:
        manifest = verified.manifest
        if manifest.name != name or manifest.version != version:
            raise InstallRefused(
                f"the archive is {manifest.name} {manifest.version}, not {name} {version}",
                code="statement-mismatch",
                hint="the server sent another package than it announced; nothing was installed",
            )

    @staticmethod
    def _unexpected_key(name: str, pinned: str, found: str) -> InstallRefused:
        return InstallRefused(
            f"{name} is signed by {found}, but you trusted {pinned} when you first installed "
            "it, and the marketplace does not show the author rotating to the new key",
            code="unexpected-key",
            hint="if you are sure the author changed keys, run again with --accept-new-key",
        )

    def _trust_key(
        self,
        verified: VerifiedPackage,
        api: MarketplaceApi,
        info: dict[str, Any],
        license_key: str | None = None,
    ) -> list[str]:
        """Step 4: registered to the author, then consistent with the pin."""
        name, key = verified.manifest.name, verified.manifest.public_key
        keys = api.keys(name, license_key)["keys"]
        entry = next((k for k in keys if k["public_key"] == key), None)
        if entry is None:
            raise InstallRefused(
                f"{name} is signed by {verified.key_fingerprint}, which is not a key the "
                "marketplace has registered for its author",
                code="unregistered-key",
                hint="do not install it; report the package to the marketplace",
            )
        revoked, published = entry.get("revoked_at"), info.get("published_at")
        if revoked and (published is None or revoked <= published):
            raise InstallRefused(
                f"{name} {verified.manifest.version} is signed by a key its author revoked",
                code="revoked-key",
                hint="install a version signed with the author's current key",
            )
        pin = self.trust.get(name)
        if pin is None or pin.public_key == key:
            return []
        if any(k["public_key"] == pin.public_key for k in keys):
            return [
                f"NOTE: the author of {name} rotated keys: {pin.fingerprint} -> "
                f"{verified.key_fingerprint} (both registered to them); trusting the new key"
            ]
        raise self._unexpected_key(name, pin.fingerprint, verified.key_fingerprint)

    def _check_fit(
        self, verified: VerifiedPackage, target: Path, options: InstallOptions
    ) -> tuple[InstallRecord | None, list[str]]:
        """Step 5: compatibility and downgrades; returns the installed record and notes."""
        notes: list[str] = []
        manifest = verified.manifest
        local = options.argentos_version
        if local is None:
            local = local_argentos_version(self.home)
        if local is None:
            notes.append(
                "WARNING: the ArgentOS version is unknown; compatibility "
                f"{manifest.argentos_range} was not checked (pass --argentos-version)"
            )
        else:
            try:
                fits = parse_range(manifest.argentos_range).contains(local)
                parse_argentos_version(local)
            except ValueError as exc:
                raise InstallConflict(
                    f"ArgentOS version {local!r}: {exc}", code="invalid-argentos-version"
                ) from exc
            if not fits and options.force:
                notes.append(
                    f"WARNING: {manifest.name} {manifest.version} needs ArgentOS "
                    f"{manifest.argentos_range}; this is {local} (installed anyway: --force)"
                )
            elif not fits:
                raise InstallConflict(
                    f"{manifest.name} {manifest.version} needs ArgentOS "
                    f"{manifest.argentos_range}; this is {local}",
                    code="incompatible-version",
                    hint="upgrade ArgentOS, install an older version with NAME@VERSION, or --force",
                )
        current = read_record(target)
        if current is None and target.exists() and not options.force:
            raise _not_ours(target)
        previous = current.version if current else None
        if (
            previous
            and precedence(manifest.version) < precedence(previous)
            and not options.allow_downgrade
        ):
            raise InstallConflict(
                f"{manifest.name} {previous} is installed; {manifest.version} is older",
                code="downgrade-refused",
                hint="pass --allow-downgrade to install an older version on purpose",
            )
        return current, notes

    def _land(
        self,
        *,
        stage: Path,
        archive: Path,
        verified: VerifiedPackage,
        target: Path,
        options: InstallOptions,
        notes: list[str],
        source: str,
    ) -> InstallResult:
        """Steps 5-6: fit checks, extract, record, swap, harness, pin."""
        installed, fit_notes = self._check_fit(verified, target, options)
        previous = installed.version if installed else None
        # A connector installed with its harness keeps one through updates: the new
        # version would otherwise land without the venv its tool runs from.
        with_harness = options.with_harness or bool(installed and installed.harness)
        manifest = verified.manifest
        new = stage / "new"
        extract_package(archive, new, expected_sha256=verified.sha256)
        swap = uuid.uuid4().hex
        record = InstallRecord(
            name=manifest.name,
            version=manifest.version,
            sha256=verified.sha256,
            key_fingerprint=verified.key_fingerprint,
            installed_at=datetime.now(UTC).isoformat().replace("+00:00", "Z"),
            source=source,
            harness=with_harness,
            swap=swap,
        )
        # On disk before the swap: recovery tells the new folder by the id in it.
        text = json.dumps(record.to_dict(), indent=2) + "\n"
        _write_durably(new / INSTALL_RECORD, text.encode())
        self._swap_in(stage, new, target, swap)
        if with_harness:
            try:
                build_harness(target, hold=self._lock_fd)
            except BaseException:
                self._swap_back(stage, target)
                raise
        self._commit(stage)
        self.trust.set(manifest.name, verified.key_fingerprint, manifest.public_key)
        return InstallResult(
            manifest.name,
            manifest.version,
            previous,
            target,
            verified.sha256,
            verified.key_fingerprint,
            changed=True,
            notes=notes + fit_notes,
        )

    # --- removing -------------------------------------------------------------------------

    def uninstall(self, name: str) -> InstallRecord:
        """Remove an installed connector (its key pin is kept for a later reinstall).

        Raises:
            InstallConflict: ``not-installed``, or ``unsafe-target`` for a link.
        """
        target = self._target(name)
        self.settle()
        record = read_record(target)
        if record is None:
            raise InstallConflict(
                f"{name} is not installed from the marketplace",
                code="not-installed",
                hint="see 'argent marketplace list'",
            )
        with self.locked(), self._staged() as stage:
            target.rename(stage / "removed")  # one rename: gone at once, never half-deleted
        return record


def build_harness(folder: Path, hold: int | None = None) -> None:
    """Create ``agent-harness/.venv`` and install the harness into it, as ArgentOS does.

    ``hold`` is the install lock's descriptor: venv and pip inherit it, so that if this
    process is killed the lock lasts until they end, and no recovery moves the folder
    they are still writing into.

    Raises:
        InstallConflict: No harness, a Python too old for it, or pip failing.
    """
    harness = folder / "agent-harness"
    pyproject = harness / "pyproject.toml"
    if not pyproject.is_file():
        raise InstallConflict(
            f"{folder.name} has no agent-harness/pyproject.toml",
            code="no-harness",
            hint="install without --with-harness",
        )
    _check_python(pyproject)
    venv = harness / ".venv"
    for step in (
        [sys.executable, "-m", "venv", str(venv)],
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", str(harness)],
    ):
        done = subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
            step,
            capture_output=True,
            text=True,
            check=False,
            timeout=900,
            pass_fds=(hold,) if hold is not None else (),
        )
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or ["unknown error"])[-1]
            raise InstallConflict(
                f"building the harness failed: {last}",
                code="harness-failed",
                hint="install without --with-harness, or fix the harness",
            )


def _check_python(pyproject: Path) -> None:
    import tomllib  # noqa: PLC0415

    from packaging.specifiers import InvalidSpecifier, SpecifierSet  # noqa: PLC0415

    try:
        requires = tomllib.loads(pyproject.read_text()).get("project", {}).get("requires-python")
        spec = SpecifierSet(requires) if isinstance(requires, str) else None
    except (tomllib.TOMLDecodeError, InvalidSpecifier, OSError):
        spec = None
    running = ".".join(map(str, sys.version_info[:3]))
    if spec is not None and running not in spec:
        raise InstallConflict(
            f"the harness needs Python {spec}; this is {running}",
            code="python-too-old",
            hint="install a newer Python, or install without --with-harness",
        )


def _require_offline_license(name: str) -> None:
    """A paid package from a file needs this machine's valid offline license token.

    Raises:
        InstallRefused: ``license-required`` when no valid token covers the package.
    """
    # Only paid packages installed from a file get here: keep it off the usual path.
    from argent_marketplace.client.license_commands import offline_license  # noqa: PLC0415

    try:
        payload = offline_license()
    except Error as exc:
        raise InstallRefused(
            f"{name} is a paid package: {exc.message}",
            code="license-required",
            hint="activate a license for it: argent marketplace activate KEY",
        ) from exc
    if name not in payload.get("pkgs", []):
        raise InstallRefused(
            f"the activated license does not cover {name}",
            code="license-required",
            hint="activate a license for this package",
        )


def _not_ours(target: Path) -> InstallConflict:
    """A folder the marketplace did not install (the ArgentOS installer's, or made by
    hand): its venv and local files would go with it."""
    return InstallConflict(
        f"{target} exists and was not installed by argent marketplace",
        code="not-ours",
        hint="pass --force to replace it (it is removed, not merged), or move it away",
    )


def _unchanged(current: InstallRecord, target: Path) -> InstallResult:
    """The answer when what is asked for is what is installed."""
    return InstallResult(
        current.name,
        current.version,
        current.version,
        target,
        current.sha256,
        current.key_fingerprint,
        changed=False,
    )


def _still_current(
    api: MarketplaceApi, name: str, current: InstallRecord, options: InstallOptions
) -> bool:
    """Whether the installed bytes are what the install asks for, by the details answer.

    Asked before a download link because each link counts as a download: installing
    what is already there must not count one. Any doubt answers ``False`` (the download
    path then decides, with its own checks).
    """
    try:
        info = api.details(name, options.license_key, fresh=True)
    except ApiError:
        return False
    wanted = options.version or (info.get("latest") or {}).get("version")
    listed = info.get("versions")
    versions: list[Any] = listed if isinstance(listed, list) else []
    return any(
        isinstance(v, dict)
        and v.get("version") == wanted == current.version
        and v.get("sha256") == current.sha256
        for v in versions
    )


def _write_durably(path: Path, data: bytes) -> None:
    """Write ``path`` whole or not at all: a crash leaves the old state or the new one."""
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    tmp.rename(path)
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


_JOURNAL = "journal.json"


def _read_journal(stage: Path) -> dict[str, Any]:
    """The stage's journal, or ``{}`` when it is missing or unreadable."""
    try:
        entry = json.loads((stage / _JOURNAL).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return entry if isinstance(entry, dict) else {}


def _is_new_version(target: Path, journal: dict[str, Any]) -> bool:
    """Whether ``target`` is the folder the journal's swap moved in (its install id)."""
    swap = journal.get("swap")
    if not isinstance(swap, str) or not swap or target.is_symlink():
        return False
    record = read_record(target)
    return record is not None and record.swap == swap


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
