"""Reproducible package writing: ``pack`` a folder, ``sign`` an existing package.

The same files give the same bytes on any machine on any day:

* members sorted by path, regular files only (folders are implied),
* mtime fixed (``SOURCE_DATE_EPOCH`` when set, else 1980-01-01), uid/gid 0,
  empty owner names, modes 0644 or 0755 (any execute bit in the source),
* PAX format only where a name needs it, gzip header with no name and mtime 0.

Every archive is checked with the same verifier that ``verify`` and the server
use before it is written (atomically, via a temporary file beside the output),
so ``pack`` cannot produce a package the marketplace would refuse as malformed.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import re
import stat
import tarfile
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from argent_marketplace.package.checksums import CONTROL_FILES, SHA256SUMS, SIGNATURE, format_sums
from argent_marketplace.package.errors import (
    ArchiveError,
    ExtractError,
    ManifestError,
    SigningKeyError,
    SourceError,
)
from argent_marketplace.package.ignore import IgnoreRules
from argent_marketplace.package.jsondoc import load_json_object
from argent_marketplace.package.limits import DEFAULT_LIMITS, Limits
from argent_marketplace.package.manifest import MANIFEST_FILE, manifest_problems
from argent_marketplace.package.names import check_member_path
from argent_marketplace.package.reader import MemberInfo, read_archive
from argent_marketplace.package.signing import public_key_b64, sign_bytes
from argent_marketplace.package.verify import VerificationReport, check_package

__all__ = [
    "DEFAULT_MTIME",
    "ArchiveEntry",
    "PackResult",
    "build_archive",
    "default_output_name",
    "pack_folder",
    "sign_package",
]

_PRIVATE_KEY = re.compile(rb"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----")
DEFAULT_MTIME = 315532800  # 1980-01-01T00:00:00Z, as wheels use: old enough for zip and tar alike


@dataclass(frozen=True, slots=True)
class ArchiveEntry:
    """One file to store: canonical path, 0644/0755 mode and content."""

    path: str
    mode: int
    data: bytes


@dataclass(frozen=True, slots=True)
class PackResult:
    """What ``pack`` or ``sign`` wrote."""

    path: Path
    report: VerificationReport
    size: int
    sha256: str
    signed: bool


def source_date_epoch() -> int:
    """``SOURCE_DATE_EPOCH`` (reproducible-builds.org) when set and valid, else 1980-01-01."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if value.isdigit() and int(value) < 8**11:
        return int(value)
    return DEFAULT_MTIME


def build_archive(entries: Sequence[ArchiveEntry], mtime: int) -> bytes:
    """The gzipped tar of ``entries``, sorted by path, with fixed metadata."""
    raw = io.BytesIO()
    with (
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz,
        tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar,
    ):
        for entry in sorted(entries, key=lambda e: e.path):
            info = tarfile.TarInfo(entry.path)
            info.size = len(entry.data)
            info.mode = entry.mode
            info.mtime = mtime
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            info.type = tarfile.REGTYPE
            tar.addfile(info, io.BytesIO(entry.data))
    return raw.getvalue()


def _signed(entries: list[ArchiveEntry], key: Ed25519PrivateKey) -> list[ArchiveEntry]:
    payload = [e for e in entries if e.path not in CONTROL_FILES]
    sums = format_sums((e.path, hashlib.sha256(e.data).hexdigest()) for e in payload)
    return [
        *payload,
        ArchiveEntry(SHA256SUMS, 0o644, sums),
        ArchiveEntry(SIGNATURE, 0o644, sign_bytes(sums, key)),
    ]


def _check_key_matches(entries: Sequence[ArchiveEntry], key: Ed25519PrivateKey) -> None:
    manifest = next((e for e in entries if e.path == MANIFEST_FILE), None)
    if manifest is None:
        return  # reported as missing-file by the verifier
    doc = load_json_object(manifest.data, MANIFEST_FILE)
    author = doc.get("author")
    declared = author.get("publicKey") if isinstance(author, dict) else None
    ours = public_key_b64(key)
    if declared != ours:
        raise SigningKeyError(
            "the --key does not match author.publicKey in argent.plugin.json",
            code="key-mismatch",
            hint=f"sign with the key whose public half is in the manifest, or set "
            f"author.publicKey to {ours}",
        )


def _finish(
    entries: list[ArchiveEntry], key: Ed25519PrivateKey | None, output: Path, limits: Limits
) -> PackResult:
    if key is not None:
        _check_key_matches(entries, key)
        entries = _signed(entries, key)
    data = build_archive(entries, source_date_epoch())
    report = check_package(data, require_signature=key is not None, limits=limits)
    if report.problems:
        raise report.problems[0]
    _write_atomically(output, data)
    return PackResult(
        path=output,
        report=report,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        signed=report.signature == "valid",
    )


def _write_atomically(path: Path, data: bytes) -> None:
    parent = path.parent if str(path.parent) else Path()
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
    except OSError as exc:
        raise ExtractError(
            f"cannot write in {parent}: {exc.strerror}",
            code="write-failed",
            hint="choose another output with -o",
        ) from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        Path(tmp).chmod(0o644)
        Path(tmp).replace(path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise ExtractError(
            f"cannot write {path}: {exc.strerror}",
            code="write-failed",
            hint="check free space and permissions, or choose another output with -o",
        ) from exc


def default_output_name(folder: Path) -> str:
    """``aos-<name>.argent-pkg`` from the folder's manifest (its ``name`` already has ``aos-``)."""
    path = folder / MANIFEST_FILE
    try:
        doc = load_json_object(path.read_bytes(), MANIFEST_FILE)
    except OSError as exc:
        raise SourceError(
            f"{folder} has no {MANIFEST_FILE}",
            code="missing-file",
            hint="create the manifest first (see README: 'Create the manifest')",
        ) from exc
    problems = manifest_problems(doc)
    if problems:
        raise problems[0]
    return f"{doc['name']}.argent-pkg"


def collect_folder(folder: Path, limits: Limits = DEFAULT_LIMITS) -> list[ArchiveEntry]:
    """The files of a connector folder that belong in its package.

    Raises:
        SourceError: A link or special file, a private key, an unsafe name, or too much data.
    """
    if not folder.is_dir():
        raise SourceError(f"{folder} is not a folder", hint="pass the connector's folder")
    rules = IgnoreRules.for_folder(folder)
    entries: list[ArchiveEntry] = []
    total = 0
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        here = Path(dirpath)
        rel_dir = here.relative_to(folder).as_posix()
        prefix = "" if rel_dir == "." else rel_dir + "/"
        kept_dirs = []
        for name in sorted(dirnames):
            rel = prefix + name
            if rules.ignored(rel, is_dir=True):
                continue
            if (here / name).is_symlink():
                raise _link_error(rel)
            kept_dirs.append(name)
        dirnames[:] = kept_dirs
        for name in sorted(filenames):
            rel = prefix + name
            if rules.ignored(rel, is_dir=False):
                continue
            entry = _read_entry(here / name, rel, limits)
            total += len(entry.data)
            if total > limits.max_uncompressed_bytes or len(entries) >= limits.max_members:
                raise SourceError(
                    f"{folder} holds more than the package limits "
                    f"({limits.max_members} files, {limits.max_uncompressed_bytes} bytes)",
                    code="source-too-large",
                    hint="list build outputs in .argentignore",
                )
            entries.append(entry)
    return entries


def _link_error(rel: str) -> SourceError:
    return SourceError(
        f"{rel} is a symbolic link; packages cannot contain links",
        code="link-not-allowed",
        hint="replace it with a copy of its target, or list it in .argentignore",
        details={"member": rel},
    )


def _read_entry(path: Path, rel: str, limits: Limits) -> ArchiveEntry:
    st = path.lstat()
    if stat.S_ISLNK(st.st_mode):
        raise _link_error(rel)
    if not stat.S_ISREG(st.st_mode):
        raise SourceError(
            f"{rel} is not a regular file",
            code="unsupported-member-type",
            hint="remove it or list it in .argentignore",
            details={"member": rel},
        )
    try:
        check_member_path(rel, limits)
    except ArchiveError as exc:
        raise SourceError(exc.message, code=exc.code, hint=exc.hint, details=exc.details) from exc
    data = path.read_bytes()
    if _PRIVATE_KEY.search(data[:65536]):
        raise SourceError(
            f"{rel} looks like a private key; refusing to pack it",
            code="private-key-in-package",
            hint="move the key out of the connector folder (keys never leave your machine)",
            details={"member": rel},
        )
    return ArchiveEntry(rel, 0o755 if st.st_mode & 0o111 else 0o644, data)


def pack_folder(
    folder: Path,
    output: Path,
    key: Ed25519PrivateKey | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> PackResult:
    """Build ``output`` from ``folder``; sign it when ``key`` is given.

    Raises:
        SourceError: The folder cannot be packed as it is.
        ManifestError: The manifest or connector.json is invalid.
        SigningKeyError: ``key`` is not the manifest's ``author.publicKey``.
        PackageError: The result would break a package limit.
    """
    entries = [e for e in collect_folder(folder, limits) if e.path not in CONTROL_FILES]
    if not any(e.path == MANIFEST_FILE for e in entries):
        raise ManifestError(
            f"{folder} has no {MANIFEST_FILE}",
            code="missing-file",
            hint="create the manifest first (see README: 'Create the manifest')",
        )
    manifest = next(e for e in entries if e.path == MANIFEST_FILE)
    problems = manifest_problems(load_json_object(manifest.data, MANIFEST_FILE))
    if problems:
        raise problems[0]
    return _finish(entries, key, output, limits)


class _Collect:
    def __init__(self, info: MemberInfo, out: list[ArchiveEntry]) -> None:
        self.info, self.out, self.buf = info, out, bytearray()

    def write(self, chunk: bytes) -> None:
        self.buf += chunk

    def close(self) -> None:
        self.out.append(ArchiveEntry(self.info.path, self.info.mode, bytes(self.buf)))


def sign_package(
    package: Path,
    key: Ed25519PrivateKey,
    output: Path | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> PackResult:
    """Add (or replace) ``SHA256SUMS`` and ``SIGNATURE``; write to ``output`` or in place.

    Raises:
        ArchiveError: The package is unsafe or malformed.
        SigningKeyError: ``key`` is not the manifest's ``author.publicKey``.
    """
    entries: list[ArchiveEntry] = []
    read_archive(package, lambda info: _Collect(info, entries), limits)
    kept = [e for e in entries if e.path not in CONTROL_FILES]
    return _finish(kept, key, output or package, limits)
