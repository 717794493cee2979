"""Reproducible package writing: ``pack`` a folder, ``sign`` an existing package.

The same files give the same bytes on any machine on any day:

* members sorted by path, regular files only (folders are implied),
* mtime fixed (``SOURCE_DATE_EPOCH`` when set, else 1980-01-01), uid/gid 0,
  empty owner names, modes 0644 or 0755 (any execute bit in the source),
* PAX format only where a name needs it, gzip header with no name and mtime 0.

Every archive is checked with the same verifier that ``verify`` and the server
use before it is written (atomically, via a temporary file beside the output),
so ``pack`` cannot produce a package the marketplace would refuse as malformed.

Source files are read defensively: opened without following links and without
blocking, checked to be regular files on the open descriptor (a file swapped
for a link after the walk is caught), and read no further than the package's
remaining byte budget.
"""

from __future__ import annotations

import gzip
import hashlib
import hmac
import io
import os
import stat
import tarfile
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from argent_marketplace.package.checksums import SHA256SUMS, SIGNATURE, SIGNING_FILES, format_sums
from argent_marketplace.package.errors import (
    ArchiveError,
    ManifestError,
    OutputError,
    SigningKeyError,
    SourceError,
)
from argent_marketplace.package.ignore import IgnoreRules
from argent_marketplace.package.jsondoc import load_json_object
from argent_marketplace.package.limits import DEFAULT_LIMITS, Limits
from argent_marketplace.package.manifest import (
    MANIFEST_FILE,
    Manifest,
    build_manifest,
    manifest_problems,
)
from argent_marketplace.package.names import check_member_path
from argent_marketplace.package.pem import holds_private_key
from argent_marketplace.package.reader import MemberInfo, read_archive
from argent_marketplace.package.signing import decode_public_key, public_key_b64, sign_bytes
from argent_marketplace.package.verify import VerificationReport, check_package

__all__ = [
    "DEFAULT_MTIME",
    "ArchiveEntry",
    "PackResult",
    "build_archive",
    "collect_folder",
    "default_output_name",
    "pack_folder",
    "sign_package",
    "source_date_epoch",
]

DEFAULT_MTIME = 315532800  # 1980-01-01T00:00:00Z, as wheels use: old enough for zip and tar alike
_MAX_MTIME = 8**11 - 1  # the largest value an 11-digit octal tar field holds
_READ_STEP = 1024 * 1024
_OPEN_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_BINARY", 0)


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
    """``SOURCE_DATE_EPOCH`` (reproducible-builds.org) when set, else 1980-01-01.

    A malformed value is refused rather than replaced: silently using 1980 would
    produce bytes that differ from what the builder asked for.

    Raises:
        SourceError: ``invalid-source-date-epoch`` (not digits, or past the tar field).
    """
    value = os.environ.get("SOURCE_DATE_EPOCH", "")
    if not value:
        return DEFAULT_MTIME
    if not value.isascii() or not value.isdigit() or int(value) > _MAX_MTIME:
        raise SourceError(
            f"SOURCE_DATE_EPOCH={value[:40]!r} is not a timestamp from 0 to {_MAX_MTIME}",
            code="invalid-source-date-epoch",
            hint="set it to whole seconds since 1970 (e.g. $(git log -1 --format=%ct)) or unset it",
        )
    return int(value)


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
    payload = [e for e in entries if e.path not in SIGNING_FILES]
    sums = format_sums((e.path, hashlib.sha256(e.data).hexdigest()) for e in payload)
    return [
        *payload,
        ArchiveEntry(SHA256SUMS, 0o644, sums),
        ArchiveEntry(SIGNATURE, 0o644, sign_bytes(sums, key)),
    ]


def _check_key_matches(doc: Mapping[str, Any], key: Ed25519PrivateKey) -> None:
    """Compare key bytes, not text: the signature is checked against the bytes."""
    author = doc.get("author")
    declared = author.get("publicKey") if isinstance(author, dict) else None
    ours = public_key_b64(key)
    try:
        matches = isinstance(declared, str) and hmac.compare_digest(
            decode_public_key(declared), decode_public_key(ours)
        )
    except SigningKeyError:
        matches = False
    if not matches:
        raise SigningKeyError(
            "the --key does not match author.publicKey in argent.plugin.json",
            code="key-mismatch",
            hint=f"sign with the key whose public half is in the manifest, or set "
            f"author.publicKey to {ours}",
        )


def _finish(
    entries: list[ArchiveEntry],
    key: Ed25519PrivateKey | None,
    output: Path,
    limits: Limits,
    *,
    mtime: int,
    folder: Path | None = None,
) -> PackResult:
    """Sign, build, verify with the real verifier, then write; nothing is written on failure."""
    if key is not None:
        entries = _signed(entries, key)
    data = build_archive(entries, mtime)
    report = check_package(data, require_signature=key is not None, limits=limits)
    if report.problems:
        first = report.problems[0]
        if folder is not None and isinstance(first, ArchiveError):
            raise _over_limits(folder, first)
        raise first
    _write_atomically(output, data)
    return PackResult(
        path=output,
        report=report,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        signed=report.signature == "valid",
    )


def _over_limits(folder: Path, exc: ArchiveError) -> SourceError:
    """The built package breaks a reader limit: the folder is the input to fix (exit 3)."""
    name, value = exc.details.get("limit_name"), exc.details.get("limit")
    which = f" (limit {name} = {value})" if name else ""
    return SourceError(
        f"{folder} cannot be packed: {exc.message}",
        code=exc.code,
        hint=f"{exc.hint or 'shrink the folder'}{which}; .argentignore can leave files out",
        details=exc.details,
    )


def _check_output(path: Path) -> None:
    """An existing output must be a regular file (or a link, which is replaced, not followed)."""
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise OutputError(
            f"cannot use {path} as output: {exc.strerror}",
            hint="choose another output with -o",
        ) from exc
    if not (stat.S_ISREG(mode) or stat.S_ISLNK(mode)):
        what = "a folder" if stat.S_ISDIR(mode) else "not a regular file"
        raise OutputError(
            f"{path} is {what}; refusing to replace it with a package",
            code="invalid-output",
            hint="give -o the path of a package file to create or replace",
            details={"path": str(path)},
        )


def _write_atomically(path: Path, data: bytes) -> None:
    _check_output(path)
    parent = path.parent if str(path.parent) else Path()
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
    except OSError as exc:
        raise OutputError(
            f"cannot write in {parent}: {exc.strerror}",
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
        raise OutputError(
            f"cannot write {path}: {exc.strerror}",
            hint="check free space and permissions, or choose another output with -o",
        ) from exc


def default_output_name(manifest: Manifest) -> str:
    """``aos-<name>.argent-pkg`` (the manifest's ``name`` already has ``aos-``)."""
    return f"{manifest.name}.argent-pkg"


def _require_folder(folder: Path) -> None:
    if not folder.is_dir():
        missing = "" if folder.exists() else " (it does not exist)"
        raise SourceError(
            f"{folder} is not a folder{missing}",
            code="not-a-folder",
            hint="pass the connector's folder (the one holding argent.plugin.json)",
        )


def _walk_error(exc: OSError) -> NoReturn:
    """``os.walk`` skips unreadable folders silently; a package missing files must not."""
    raise SourceError(
        f"cannot read folder {exc.filename}: {exc.strerror}",
        code="unreadable-source",
        hint="fix its permissions, or list it in .argentignore",
        details={"path": str(exc.filename)},
    ) from exc


def collect_folder(folder: Path, limits: Limits = DEFAULT_LIMITS) -> list[ArchiveEntry]:
    """The files of a connector folder that belong in its package.

    The member count keeps room for ``SHA256SUMS`` and ``SIGNATURE`` so an
    unsigned package can always be signed later.

    Raises:
        SourceError: A link or special file, a private key, an unsafe or non-UTF-8
            name, an unreadable file or folder, or more than the package limits.
    """
    _require_folder(folder)
    rules = IgnoreRules.for_folder(folder)
    entries: list[ArchiveEntry] = []
    budget = limits.max_uncompressed_bytes
    for dirpath, dirnames, filenames in os.walk(folder, onerror=_walk_error):
        here = Path(dirpath)
        rel_dir = here.relative_to(folder).as_posix()
        prefix = "" if rel_dir == "." else rel_dir + "/"
        dirnames[:] = _kept_dirs(here, prefix, sorted(dirnames), rules)
        for name in sorted(filenames):
            rel = prefix + name
            if rules.ignored(rel, is_dir=False):
                continue
            if len(entries) >= limits.max_members - len(SIGNING_FILES):
                raise _too_large(folder, limits)
            entry = _read_entry(here / name, rel, limits, budget)
            if entry is None:
                raise _too_large(folder, limits)
            budget -= len(entry.data)
            entries.append(entry)
    return entries


def _kept_dirs(here: Path, prefix: str, names: list[str], rules: IgnoreRules) -> list[str]:
    kept = []
    for name in names:
        rel = prefix + name
        if rules.ignored(rel, is_dir=True):
            continue
        if (here / name).is_symlink():
            raise _link_error(rel)
        kept.append(name)
    return kept


def _too_large(folder: Path, limits: Limits) -> SourceError:
    return SourceError(
        f"{folder} holds more than the package limits "
        f"({limits.max_members - len(SIGNING_FILES)} files, "
        f"{limits.max_uncompressed_bytes} bytes)",
        code="source-too-large",
        hint="list build outputs and large files in .argentignore",
    )


def _link_error(rel: str) -> SourceError:
    return SourceError(
        f"{rel} is a symbolic link; packages cannot contain links",
        code="link-not-allowed",
        hint="replace it with a copy of its target, or list it in .argentignore",
        details={"member": rel},
    )


def _not_regular(rel: str) -> SourceError:
    return SourceError(
        f"{rel} is not a regular file",
        code="unsupported-member-type",
        hint="remove it or list it in .argentignore",
        details={"member": rel},
    )


def _check_name(rel: str, limits: Limits) -> None:
    try:
        check_member_path(rel, limits)
    except ArchiveError as exc:
        raise SourceError(exc.message, code=exc.code, hint=exc.hint, details=exc.details) from exc


def _read_entry(path: Path, rel: str, limits: Limits, budget: int) -> ArchiveEntry | None:
    """The file as an entry, or ``None`` when it holds more than ``budget`` bytes."""
    _check_name(rel, limits)
    read = _read_regular_file(path, rel, budget)
    if read is None:
        return None
    data, mode = read
    if holds_private_key(data):
        raise SourceError(
            f"{rel} looks like a private key; refusing to pack it",
            code="private-key-in-package",
            hint="move the key out of the connector folder (keys never leave your machine)",
            details={"member": rel},
        )
    return ArchiveEntry(rel, 0o755 if mode & 0o111 else 0o644, data)


def _read_regular_file(path: Path, rel: str, budget: int) -> tuple[bytes, int] | None:
    """Content and mode of a regular file read through one descriptor, or ``None`` if too big.

    ``lstat`` first gives the clear message (and never opens a device); ``O_NOFOLLOW``
    and ``fstat`` on the open descriptor then make sure that what is read is that file.
    """
    try:
        if not stat.S_ISREG(path.lstat().st_mode):
            raise _link_error(rel) if path.is_symlink() else _not_regular(rel)
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        raise _unreadable(rel, path, exc) from exc
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise _not_regular(rel)
        data = _read_at_most(fd, budget + 1)
    except OSError as exc:
        raise _unreadable(rel, path, exc) from exc
    finally:
        os.close(fd)
    return None if len(data) > budget else (data, mode)


def _read_at_most(fd: int, limit: int) -> bytes:
    chunks = []
    remaining = limit
    while remaining > 0:
        chunk = os.read(fd, min(remaining, _READ_STEP))
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def _unreadable(rel: str, path: Path, exc: OSError) -> SourceError:
    if path.is_symlink():  # swapped for a link after lstat: O_NOFOLLOW refused it
        return _link_error(rel)
    return SourceError(
        f"cannot read {rel}: {exc.strerror or exc}",
        code="unreadable-source",
        hint="fix its permissions, or list it in .argentignore",
        details={"member": rel},
    )


def _validated_manifest(folder: Path, entries: Sequence[ArchiveEntry]) -> Manifest:
    """The folder's manifest, parsed and checked once for the whole ``pack``."""
    entry = next((e for e in entries if e.path == MANIFEST_FILE), None)
    if entry is None:
        raise ManifestError(
            f"{folder} has no {MANIFEST_FILE}",
            code="missing-file",
            hint="create the manifest first (see README: 'Create the manifest')",
        )
    doc = load_json_object(entry.data, MANIFEST_FILE)
    problems = manifest_problems(doc)
    if problems:
        problems[0].more = list(problems[1:])
        raise problems[0]
    return build_manifest(doc)


def pack_folder(
    folder: Path,
    output: Path | None = None,
    key: Ed25519PrivateKey | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> PackResult:
    """Build ``output`` (default ``./aos-<name>.argent-pkg``) from ``folder``; sign with ``key``.

    Raises:
        SourceError: The folder cannot be packed as it is (including a package that
            would break a size or count limit).
        ManifestError: The manifest or connector.json is invalid.
        SigningKeyError: ``key`` is not the manifest's ``author.publicKey``.
        OutputError: ``output`` cannot be written.
        PackageError: Any other verification problem of the built package.
    """
    mtime = source_date_epoch()
    entries = [e for e in collect_folder(folder, limits) if e.path not in SIGNING_FILES]
    manifest = _validated_manifest(folder, entries)
    if key is not None:
        _check_key_matches(manifest.raw, key)
    target = output if output is not None else Path(default_output_name(manifest))
    return _finish(entries, key, target, limits, mtime=mtime, folder=folder)


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
        OutputError: ``output`` cannot be written.
    """
    mtime = source_date_epoch()
    entries: list[ArchiveEntry] = []
    read_archive(package, lambda info: _Collect(info, entries), limits)
    kept = [e for e in entries if e.path not in SIGNING_FILES]
    manifest = next((e for e in kept if e.path == MANIFEST_FILE), None)
    if manifest is not None:  # a missing manifest is reported by the verifier
        _check_key_matches(load_json_object(manifest.data, MANIFEST_FILE), key)
    return _finish(kept, key, output or package, limits, mtime=mtime)
