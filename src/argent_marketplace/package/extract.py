"""Extraction of a package into a fresh staging folder, and nowhere else.

The target must not exist: it is created here, filled only with regular files
and folders made by this process (``O_EXCL | O_NOFOLLOW``), each checked to lie
inside it, with modes normalised to 0644/0755. On any failure the whole target
is removed, so a caller's rename-into-place only ever sees complete trees.
"""

from __future__ import annotations

import hmac
import os
import shutil
from pathlib import Path

from argent_marketplace.package.errors import ArchiveError, ExtractError, IntegrityError
from argent_marketplace.package.limits import DEFAULT_LIMITS, Limits
from argent_marketplace.package.names import is_within
from argent_marketplace.package.reader import (
    ArchiveListing,
    MemberInfo,
    PackageSource,
    read_archive,
)

__all__ = ["extract_package"]


class _FileWriter:
    def __init__(self, root: Path, info: MemberInfo, folders: set[Path]) -> None:
        dest = root / info.path
        # Names were checked by the reader; this is the belt to its braces.
        if not is_within(root, dest):
            raise ArchiveError(
                f"member '{info.path}' would land outside the target",
                code="path-traversal",
                details={"member": info.path},
            )
        if dest.parent not in folders:  # one mkdir per folder, not one per file
            dest.parent.mkdir(parents=True, exist_ok=True, mode=0o755)
            folders.add(dest.parent)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_BINARY", 0)
        self.fd = os.open(dest, flags, 0o600)
        self.mode = info.mode
        self.closed = False

    def write(self, chunk: bytes) -> None:
        view = memoryview(chunk)
        while view:
            view = view[os.write(self.fd, view) :]

    def close(self) -> None:
        try:
            os.fchmod(self.fd, self.mode)
        finally:
            self.closed = True
            os.close(self.fd)


def _make_target(target: Path) -> None:
    try:
        target.mkdir(mode=0o755)
    except FileExistsError as exc:
        raise ExtractError(
            f"{target} already exists",
            code="target-exists",
            hint="extract into a new, empty staging folder",
        ) from exc
    except OSError as exc:
        raise ExtractError(
            f"cannot create {target}: {exc.strerror}",
            code="extract-failed",
            hint="check that its parent folder exists and is writable",
        ) from exc


def _check_sha256(listing: ArchiveListing, expected: str) -> None:
    expected_hex = expected.lower()
    if not (expected_hex.isascii() and hmac.compare_digest(listing.sha256, expected_hex)):
        raise IntegrityError(
            f"the package's sha256 is {listing.sha256}, not the announced {expected}",
            code="sha256-mismatch",
            hint="download the package again; if it persists, report it to the marketplace",
            details={"expected": expected, "actual": listing.sha256},
        )


def extract_package(
    source: PackageSource,
    target: Path,
    limits: Limits = DEFAULT_LIMITS,
    *,
    expected_sha256: str | None = None,
) -> ArchiveListing:
    """Extract ``source`` into the new folder ``target``.

    Args:
        source: The package.
        target: A folder to create; it must not exist yet.
        limits: Caps for the archive reader.
        expected_sha256: The package's sha256 as the server announced it. The
            signature does not cover tar and gzip metadata (file modes included),
            so an installer passes this to bind those bytes too.

    Raises:
        ArchiveError: The archive is unsafe or malformed (``target`` is removed).
        IntegrityError: ``sha256-mismatch`` with ``expected_sha256`` (``target`` removed).
        ExtractError: ``target`` exists or cannot be created, or writing failed
            (disk full...; ``target`` removed).
    """
    _make_target(target)
    writers: list[_FileWriter] = []
    folders = {target}

    def open_sink(info: MemberInfo) -> _FileWriter:
        writer = _FileWriter(target, info, folders)
        writers.append(writer)
        return writer

    try:
        listing = read_archive(source, open_sink, limits)
        if expected_sha256 is not None:
            _check_sha256(listing, expected_sha256)
        for member in listing.members:
            if member.kind == "dir" and target / member.path not in folders:
                (target / member.path).mkdir(parents=True, exist_ok=True, mode=0o755)
        return listing
    except OSError as exc:
        _discard(target, writers)
        raise ExtractError(
            f"cannot write the package into {target}: {exc.strerror}",
            code="extract-failed",
            hint="check free disk space and permissions",
        ) from exc
    except BaseException:
        _discard(target, writers)
        raise


def _discard(target: Path, writers: list[_FileWriter]) -> None:
    for writer in writers:
        if not writer.closed:
            writer.closed = True
            os.close(writer.fd)
    shutil.rmtree(target, ignore_errors=True)
