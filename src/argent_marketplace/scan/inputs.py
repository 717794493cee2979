"""The files a scan reads: from a package through the safe reader, or from a folder.

Text that the rules read (code, configuration, documentation) is kept whole, up to
a total budget; beyond it a file is listed as unscanned and the scan fails closed
(``not-scanned``, medium). Other files (images, binaries) keep only their first
bytes, enough to recognise what they are, plus their real size.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from argent_marketplace.package.limits import DEFAULT_LIMITS, Limits
from argent_marketplace.package.reader import MemberInfo, PackageSource, read_archive
from argent_marketplace.package.writer import ArchiveEntry

__all__ = [
    "SCAN_BUDGET_BYTES",
    "FileCollector",
    "ScanFiles",
    "files_from_entries",
    "read_package_files",
]

SCAN_BUDGET_BYTES = 20 * 1024 * 1024
"""Text read for one package; past it files are ``not-scanned`` (reviewed by a person)."""
HEAD_BYTES = 64 * 1024
_TEXT_SUFFIXES = (
    ".py",
    ".pyi",
    ".pyw",
    ".sh",
    ".bash",
    ".zsh",
    ".ksh",
    ".command",
    ".toml",
    ".cfg",
    ".ini",
    ".json",
    ".md",
    ".rst",
    ".txt",
    ".pth",
    ".yaml",
    ".yml",
    ".js",
    ".mjs",
    ".cjs",
    ".ts",
    ".ps1",
    ".bat",
    ".cmd",
    ".plist",
    ".service",
    ".desktop",
    ".xml",
    ".html",
    ".env",
    ".in",
    ".mk",
    ".conf",
    ".lock",
)


def reads_whole(path: str) -> bool:
    """Files the text rules read entirely: known text suffixes and names without a suffix."""
    name = path.rsplit("/", 1)[-1]
    return path.lower().endswith(_TEXT_SUFFIXES) or "." not in name.lstrip(".")


@dataclass
class ScanFiles:
    """Path -> bytes (whole, or a head for binaries), real sizes, and what was left out."""

    files: dict[str, bytes] = field(default_factory=dict)
    sizes: dict[str, int] = field(default_factory=dict)
    unscanned: list[str] = field(default_factory=list)


class FileCollector:
    """A sink for :func:`~argent_marketplace.package.reader.read_archive` (one reused object)."""

    def __init__(self, budget: int = SCAN_BUDGET_BYTES) -> None:
        self.out = ScanFiles()
        self.budget = budget
        self._path = ""
        self._limit = 0
        self._buf = bytearray()

    def open(self, info: MemberInfo) -> FileCollector | None:
        """Start one file, or skip it (its size is still recorded)."""
        self.out.sizes[info.path] = info.size
        if reads_whole(info.path):
            if info.size > self.budget:
                self.out.unscanned.append(info.path)
                return None
            self.budget -= info.size
            self._limit = info.size
        else:
            self._limit = HEAD_BYTES
        self._path, self._buf = info.path, bytearray()
        return self

    def write(self, chunk: bytes) -> None:
        """Keep bytes up to this file's limit."""
        room = self._limit - len(self._buf)
        if room > 0:
            self._buf += chunk[:room]

    def close(self) -> None:
        """File done."""
        self.out.files[self._path] = bytes(self._buf)


def read_package_files(source: PackageSource, limits: Limits = DEFAULT_LIMITS) -> ScanFiles:
    """The files of a package, read with the same safe reader as verification.

    Raises:
        ArchiveError: The archive is unsafe or malformed.
    """
    collector = FileCollector()
    read_archive(source, collector.open, limits)
    return collector.out


def files_from_entries(entries: Sequence[ArchiveEntry]) -> ScanFiles:
    """The files of a folder collected like ``pack`` does (``collect_folder``)."""
    out = ScanFiles()
    budget = SCAN_BUDGET_BYTES
    for entry in entries:
        out.sizes[entry.path] = len(entry.data)
        if reads_whole(entry.path):
            if len(entry.data) > budget:
                out.unscanned.append(entry.path)
                continue
            budget -= len(entry.data)
            out.files[entry.path] = entry.data
        else:
            out.files[entry.path] = entry.data[:HEAD_BYTES]
    return out
