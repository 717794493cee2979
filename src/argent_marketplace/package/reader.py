"""The one safe reader of .argent-pkg archives.

Server validation, client extraction, ``verify`` and ``inspect`` all read
packages through :func:`read_archive`; there is no second tar parser to drift
from this one (SECURITY-CASES A15). The parser is strict and streaming:

1. The format is decided by magic bytes: only gzip is accepted; tar, zip, xz,
   zstd and bzip2 are named and refused (A16).
2. Gzip is inflated in ``Limits.chunk_bytes`` steps with a hard cap on output
   and on the inflate ratio, so memory stays bounded whatever the archive
   claims (A12). Truncated, corrupt, concatenated or trailing gzip data is
   refused (A13, A16).
3. Tar headers are parsed by hand: checksum, ustar magic, numeric fields. Only
   regular files (type ``0``/NUL, never with a name ending in ``/``) and
   directories (type ``5``) become members; PAX ``x`` and GNU ``L`` headers may
   rename the next member, nothing else (A3, A5, A14, A15).
4. Every name goes through :func:`names.check_member_path` and a collision
   table before its content is handed out (A1, A2, A7-A10).
5. After the two zero end blocks only zero padding may follow (A16).

Content is never buffered here: each file's bytes go to a sink the caller opens
for it (a hasher, a staging file) or are skipped.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Literal, NamedTuple, Protocol

from argent_marketplace.package.errors import ArchiveError
from argent_marketplace.package.limits import DEFAULT_LIMITS, Limits
from argent_marketplace.package.names import check_member_path, collision_key

__all__ = ["ArchiveListing", "FileSink", "MemberInfo", "PackageSource", "read_archive"]

BLOCK = 512
_OCTAL = re.compile(rb"[0-7]+")
_HIGH_BYTES = bytes(range(128, 256))
# mode, uid, gid (7 octal digits + NUL), size, mtime (11 + NUL), checksum (6 + NUL + space)
_CANONICAL_NUMBERS = re.compile(
    rb"([0-7]{7})\x00([0-7]{7})\x00([0-7]{7})\x00([0-7]{11})\x00([0-7]{11})\x00([0-7]{6})\x00 "
)
_OTHER_NUMBERS = (
    (108, 116, "uid"),
    (116, 124, "gid"),
    (136, 148, "mtime"),
    (329, 337, "devmajor"),
    (337, 345, "devminor"),
)
_ZERO_BLOCK = bytes(BLOCK)
_SPECIAL_KINDS = {
    b"3": "character device",
    b"4": "block device",
    b"6": "FIFO",
    b"7": "contiguous file",
    b"S": "GNU sparse file",
}
_SPECIAL_BITS = 0o7000

PackageSource = bytes | Path | BinaryIO
"""A package given as its bytes, a path to it, or an open binary file."""


class MemberInfo(NamedTuple):
    """One accepted member, with its canonical path and normalised mode (a tuple: cheap)."""

    path: str
    kind: Literal["file", "dir"]
    size: int
    mode: int


@dataclass(frozen=True, slots=True)
class ArchiveListing:
    """What one complete, successful pass over an archive saw."""

    members: tuple[MemberInfo, ...]
    compressed_size: int
    uncompressed_size: int
    sha256: str


class FileSink(Protocol):
    """Receives one file's content in order; ``close`` is called after the last chunk."""

    def write(self, chunk: bytes, /) -> object: ...

    def close(self) -> None: ...


OpenSink = Callable[[MemberInfo], FileSink | None]

_FORMATS: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "zip"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"\x28\xb5\x2f\xfd", "zstd"),
    (b"BZh", "bzip2"),
)


def _fail(code: str, message: str, hint: str | None = None, **details: object) -> ArchiveError:
    return ArchiveError(message, code=code, hint=hint, details=dict(details) or None)


def _open_source(source: PackageSource) -> tuple[BinaryIO, int | None, bool]:
    """Return a readable stream, its total size when known, and whether we own it."""
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
        return io.BytesIO(data), len(data), True
    if isinstance(source, Path):
        try:
            fh = source.open("rb")
        except OSError as exc:
            raise _fail(
                "unreadable-package",
                f"cannot open {source}: {exc.strerror}",
                "check the path and its permissions",
            ) from exc
        return fh, os.fstat(fh.fileno()).st_size, True
    try:
        size: int | None = os.fstat(source.fileno()).st_size - source.tell()
    except (OSError, AttributeError, io.UnsupportedOperation):
        size = None
    return source, size, False


class _Inflater:
    """Pulls compressed bytes, inflates them under the caps, hands out exact reads."""

    def __init__(self, stream: BinaryIO, total_size: int | None, limits: Limits) -> None:
        self._stream = stream
        self._limits = limits
        self._total_size = total_size
        self._z = zlib.decompressobj(wbits=31)
        self._pending = b""  # compressed bytes not yet given to zlib
        self._buf = bytearray()
        self._pos = 0
        self.compressed = 0
        self.inflated = 0
        self.sha256 = hashlib.sha256()
        self._source_done = False

    def check_magic(self) -> None:
        head = self._pull()
        self._pending = head
        if head.startswith(b"\x1f\x8b"):
            return
        if len(head) >= 262 and head[257:262] == b"ustar":
            raise _fail(
                "unsupported-format",
                "the package is a plain tar, not gzip-compressed",
                "build it with 'argent marketplace pack' (or tar -czf)",
            )
        for magic, name in _FORMATS:
            if head.startswith(magic):
                raise _fail(
                    "unsupported-format",
                    f"the package is a {name} archive, not a gzipped tar",
                    "build it with 'argent marketplace pack'",
                )
        if not head:
            raise _fail("truncated-archive", "the package is empty", "rebuild the package")
        raise _fail(
            "unsupported-format",
            "the package is not a gzipped tar (bad magic bytes)",
            "build it with 'argent marketplace pack'",
        )

    def _pull(self) -> bytes:
        if self._source_done:
            return b""
        chunk = self._stream.read(self._limits.chunk_bytes)
        if not chunk:
            self._source_done = True
            return b""
        self.compressed += len(chunk)
        self.sha256.update(chunk)
        if self.compressed > self._limits.max_compressed_bytes:
            raise _fail(
                "package-too-large",
                f"the package is over {self._limits.max_compressed_bytes} bytes compressed",
                "remove large files or split the connector",
                limit=self._limits.max_compressed_bytes,
                limit_name="max_compressed_bytes",
            )
        return chunk

    def _inflate_more(self) -> bool:
        """Inflate at most one chunk more into the buffer; False at the end of the gzip stream."""
        if self._z.eof:
            return False
        data = self._z.unconsumed_tail or self._pending
        self._pending = b""
        if not data:
            data = self._pull()
            if not data:
                raise _fail(
                    "truncated-archive",
                    "the gzip stream ends early (truncated download?)",
                    "download or rebuild the package",
                )
        try:
            out = self._z.decompress(data, self._limits.chunk_bytes)
        except zlib.error as exc:
            raise _fail(
                "corrupt-archive",
                f"the gzip data is corrupt ({exc})",
                "rebuild the package",
            ) from exc
        self.inflated += len(out)
        self._check_caps()
        if self._pos:
            del self._buf[: self._pos]
            self._pos = 0
        self._buf += out
        return True

    def _check_caps(self) -> None:
        lim = self._limits
        if self.inflated > lim.max_uncompressed_bytes:
            raise _fail(
                "decompressed-size-exceeded",
                f"the package inflates to more than {lim.max_uncompressed_bytes} bytes",
                "remove large files; packages are limited in uncompressed size",
                limit=lim.max_uncompressed_bytes,
                limit_name="max_uncompressed_bytes",
            )
        base = self._total_size if self._total_size else self.compressed
        if self.inflated > lim.ratio_floor_bytes and self.inflated > lim.max_ratio * max(base, 1):
            raise _fail(
                "decompressed-size-exceeded",
                f"the package inflates more than {lim.max_ratio}x (compression bomb?)",
                "remove padding or highly repetitive files",
                limit=lim.max_ratio,
                limit_name="max_ratio",
            )

    @property
    def consumed(self) -> int:
        """Inflated bytes already handed out (the position in the tar stream)."""
        return self.inflated - (len(self._buf) - self._pos)

    def _fill(self, n: int) -> None:
        """Inflate until ``n`` bytes are buffered, or ``truncated-archive``.

        Callers ask for at most ``chunk_bytes`` (or one bounded header), so the
        buffer never holds much more than two chunks.
        """
        while len(self._buf) - self._pos < n:
            if not self._inflate_more():
                raise _fail(
                    "truncated-archive",
                    "the tar data ends early (truncated archive)",
                    "download or rebuild the package",
                )

    def read(self, n: int) -> bytes:
        """Exactly ``n`` inflated bytes (a header or one chunk), or ``truncated-archive``."""
        if len(self._buf) - self._pos < n:  # the test inline: read() is the hot path
            self._fill(n)
        out = bytes(self._buf[self._pos : self._pos + n])
        self._pos += n
        return out

    def _steps(self, n: int) -> Iterator[int]:
        """Split ``n`` into steps of at most ``chunk_bytes``, each already buffered."""
        while n > 0:
            step = min(n, self._limits.chunk_bytes)
            self._fill(step)
            yield step
            n -= step

    def skip(self, n: int) -> None:
        """Drop exactly ``n`` inflated bytes, a chunk at a time, or ``truncated-archive``."""
        for step in self._steps(n):
            self._pos += step

    def iter_exact(self, n: int) -> Iterator[bytes]:
        """``n`` bytes in chunks of at most ``chunk_bytes``."""
        for step in self._steps(n):
            yield bytes(self._buf[self._pos : self._pos + step])
            self._pos += step

    def finish(self) -> None:
        """After the tar end: only zero padding, then the end of one gzip member."""
        while True:
            rest = self._buf[self._pos :]
            if rest.count(0) != len(rest):
                raise _fail(
                    "trailing-data",
                    "the archive has data after the tar end marker",
                    "rebuild the package; nothing may follow the archive",
                )
            self._buf.clear()
            self._pos = 0
            if not self._inflate_more():
                break
        extra = self._z.unused_data or self._pending or self._pull()
        if extra:
            raise _fail(
                "trailing-data",
                "the package has bytes after the gzip stream (concatenated or appended data)",
                "rebuild the package",
            )


def _number(field: bytes, what: str) -> int:
    """Parse a tar numeric field: NUL/space-terminated octal, or GNU base-256."""
    if field and field[0] & 0x80:
        if field[0] != 0x80:  # 0xFF is negative; anything else is not a tar number at all
            raise _fail(
                "corrupt-archive", f"negative {what} in a tar header", "rebuild the package"
            )
        value = field[0] & 0x7F
        for byte in field[1:]:
            value = (value << 8) | byte
        return value
    text = field.split(b"\x00", 1)[0].strip(b" ")
    if not text:
        return 0
    if not _OCTAL.fullmatch(text):
        raise _fail("corrupt-archive", f"invalid {what} in a tar header", "rebuild the package")
    return int(text, 8)


def _text(field: bytes) -> bytes:
    return field.split(b"\x00", 1)[0]


def _decode_name(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        shown = raw.decode("utf-8", "backslashreplace")
        raise _fail(
            "invalid-name",
            f"member name '{shown}' is not valid UTF-8",
            "use UTF-8 file names",
            member=shown,
        ) from exc


def _parse_pax(body: bytes) -> dict[str, bytes]:
    """Parse PAX records ``LEN key=value\\n``; every length must be exact and positive."""
    records: dict[str, bytes] = {}
    pos = 0
    while pos < len(body):
        space = body.find(b" ", pos, pos + 21)
        digits = body[pos:space] if space > pos else b""
        if not digits.isdigit():
            raise _fail("corrupt-archive", "malformed PAX header record", "rebuild the package")
        length = int(digits)
        end = pos + length
        if length <= len(digits) + 1 or end > len(body) or body[end - 1 : end] != b"\n":
            raise _fail("corrupt-archive", "malformed PAX header length", "rebuild the package")
        key, eq, value = body[space + 1 : end - 1].partition(b"=")
        if not eq:
            raise _fail("corrupt-archive", "malformed PAX header record", "rebuild the package")
        records[key.decode("utf-8", "replace")] = value
        pos = end
    return records


class _TarWalker:
    """Applies the member rules while walking headers; one instance per archive."""

    def __init__(self, inflater: _Inflater, open_sink: OpenSink | None, limits: Limits) -> None:
        self.inf = inflater
        self.open_sink = open_sink
        self.limits = limits
        self.members: list[MemberInfo] = []
        self.header_count = 0
        self.exact: set[str] = set()
        self.keys: dict[str, str] = {}
        self.file_keys: set[str] = set()
        self.dir_keys: set[str] = set()
        self.checked_numbers: set[bytes] = set()

    def walk(self) -> None:
        long_name: str | None = None
        pax: dict[str, bytes] | None = None
        while True:
            block = self.inf.read(BLOCK)
            if block == _ZERO_BLOCK:
                if self.inf.read(BLOCK) != _ZERO_BLOCK:
                    raise _fail(
                        "corrupt-archive",
                        "a lone zero block inside the tar data",
                        "rebuild the package",
                    )
                if long_name is not None or pax is not None:
                    raise _fail(
                        "corrupt-archive",
                        "an extended header has no member after it",
                        "rebuild the package",
                    )
                return
            self._count_header()
            typeflag, raw_name, mode, size = self._parse_header(block)
            if typeflag in (b"x", b"L", b"g"):
                body = self._read_meta(size)
                if typeflag == b"g":
                    self._check_global(_parse_pax(body))
                    continue
                if long_name is not None or pax is not None:
                    raise _fail(
                        "corrupt-archive",
                        "two extended headers in a row",
                        "rebuild the package",
                    )
                if typeflag == b"L":
                    long_name = _decode_name(_text(body))
                else:
                    pax = _parse_pax(body)
                continue
            name = long_name if long_name is not None else _decode_name(raw_name)
            if pax is not None:
                name = self._apply_pax(pax, size, name)
            long_name, pax = None, None
            self._member(typeflag, name, raw_name, mode, size)

    def _count_header(self) -> None:
        self.header_count += 1
        if self.header_count > self.limits.max_members:
            raise _fail(
                "too-many-members",
                f"the archive has more than {self.limits.max_members} members",
                "reduce the number of files",
                limit=self.limits.max_members,
                limit_name="max_members",
            )

    def _parse_header(self, block: bytes) -> tuple[bytes, bytes, int, int]:
        canonical = _CANONICAL_NUMBERS.match(block, 100, 156)
        if canonical is not None:  # what Python's tarfile and GNU tar write: one regex
            mode_text, _uid, _gid, size_text, _mtime, stored_text = canonical.groups()
            mode, size, stored = int(mode_text, 8), int(size_text, 8), int(stored_text, 8)
            other_start = 329  # uid, gid and mtime are valid octal already
        else:
            stored = _number(block[148:156], "checksum")
            mode, size = _number(block[100:108], "mode"), _number(block[124:136], "size")
            other_start = 0
        unsigned = sum(block) - sum(block[148:156]) + 256  # the field counts as 8 spaces
        if stored != unsigned and stored != self._signed_checksum(block):
            raise _fail(
                "corrupt-archive",
                "a tar header checksum does not match (not a tar, or corrupt)",
                "rebuild the package",
            )
        magic = block[257:265]
        if magic == b"ustar\x0000":
            prefix = _text(block[345:500])
            name = _text(block[0:100])
            raw_name = prefix + b"/" + name if prefix else name
        elif magic == b"ustar  \x00":
            # GNU keeps incremental-dump data where POSIX keeps the name prefix; other
            # readers take those bytes as a prefix, so a non-empty area is ambiguous.
            if block[345:500].count(0) != 155:
                raise _fail(
                    "inconsistent-header",
                    "a GNU tar header carries data where other readers expect a name prefix",
                    "rebuild the package with 'argent marketplace pack'",
                )
            raw_name = _text(block[0:100])
        else:
            raise _fail(
                "unsupported-format",
                "a tar header is not ustar/pax/gnu (old v7 tar?)",
                "build the package with 'argent marketplace pack'",
            )
        # Fields we do not use are still parsed: a reader that gives up on a bad mtime
        # would see a different member list from one that ignores it.
        for start, end, what in _OTHER_NUMBERS:
            if start < other_start:
                continue
            field = block[start:end]
            if field not in self.checked_numbers:  # headers mostly repeat these fields
                _number(field, what)
                self.checked_numbers.add(field)
        return block[156:157], raw_name, mode, size

    @staticmethod
    def _signed_checksum(block: bytes) -> int:
        # Some old writers summed signed chars: every byte above 127 counts 256 less.
        rest = block[:148] + block[156:]
        return sum(rest) + 256 - 256 * (len(rest) - len(rest.translate(None, _HIGH_BYTES)))

    def _read_meta(self, size: int) -> bytes:
        if size > self.limits.max_meta_header_bytes:
            raise _fail(
                "corrupt-archive",
                f"an extended tar header of {size} bytes is too large",
                "rebuild the package",
                limit=self.limits.max_meta_header_bytes,
                limit_name="max_meta_header_bytes",
            )
        body = self.inf.read(size)
        self._skip_padding(size)
        return body

    def _skip_padding(self, size: int) -> None:
        if size % BLOCK:
            self.inf.skip(BLOCK - size % BLOCK)

    @staticmethod
    def _check_global(records: dict[str, bytes]) -> None:
        if any(k in records for k in ("path", "size", "linkpath")) or any(
            k.startswith("GNU.sparse") for k in records
        ):
            raise _fail(
                "unsupported-member-type",
                "a global PAX header changes member paths or sizes",
                "rebuild the package with 'argent marketplace pack'",
            )

    @staticmethod
    def _apply_pax(pax: dict[str, bytes], size: int, name: str) -> str:
        if any(k.startswith("GNU.sparse") for k in pax):
            raise _fail(
                "unsupported-member-type",
                f"member '{name}' is a sparse file",
                "store regular files only",
            )
        if "size" in pax:
            text = pax["size"]
            if not text.isdigit() or int(text) != size:
                # Readers disagree on which size wins (TARmageddon): refuse instead of choosing.
                raise _fail(
                    "inconsistent-header",
                    f"member '{name}': the PAX size disagrees with the tar header size",
                    "rebuild the package with 'argent marketplace pack'",
                )
        if "path" in pax:
            return _decode_name(pax["path"])
        return name

    def _member(self, typeflag: bytes, name: str, raw_name: bytes, mode: int, size: int) -> None:
        """One header that is not an extended header: decide its kind, check it, take it."""
        is_dir = self._is_dir(typeflag, name, raw_name)
        if mode & _SPECIAL_BITS:
            raise _fail(
                "unsafe-mode",
                f"member '{name}' has setuid, setgid or sticky bits ({mode:04o})",
                "clear the special permission bits (chmod u-s,g-s,-t)",
                member=name,
            )
        if is_dir:
            self._add_dir(name, size)
        else:
            self._add_file(name, mode, size)

    def _is_dir(self, typeflag: bytes, name: str, raw_name: bytes) -> bool:
        """Type ``5`` is a folder, ``0``/NUL a file; links and special files are refused.

        A file whose name ends in ``/`` is refused as well, since readers that follow
        the old convention take it for a folder and two readers would then see two
        member lists. For type NUL that includes the ustar name under a PAX path:
        ``tarfile`` decides "folder" from it before the PAX path applies. A type ``0``
        ustar name is only a truncated copy when a PAX or GNU name follows (the
        writers cut it at 100 bytes, possibly just after a ``/``), so it is not used.
        """
        if typeflag in (b"1", b"2", b"K"):
            raise _fail(
                "link-not-allowed",
                f"member '{name}' is a {'hard' if typeflag == b'1' else 'sym'}link",
                "packages may hold regular files and folders only; copy the target instead",
                member=name,
            )
        if typeflag == b"5":
            return True
        if typeflag not in (b"0", b"\x00"):
            kind = _SPECIAL_KINDS.get(typeflag, f"entry of type {typeflag!r}")
            raise _fail(
                "unsupported-member-type",
                f"member '{name}' is a {kind}",
                "packages may hold regular files and folders only",
                member=name,
            )
        if name.endswith("/") or (typeflag == b"\x00" and raw_name.endswith(b"/")):
            check_member_path(name, self.limits, is_dir=True)  # attacks are named first
            shown = name if name.endswith("/") else raw_name.decode("utf-8", "backslashreplace")
            raise _fail(
                "inconsistent-header",
                f"member '{shown}' is a file whose name ends in '/' like a folder's",
                "folders must have tar type 5; rebuild the package with 'argent marketplace pack'",
                member=name,
            )
        return False

    def _add_dir(self, name: str, size: int) -> None:
        if name in ("./", "."):
            return  # the archive root itself, as 'tar -C dir -czf pkg .' writes it
        path = check_member_path(name, self.limits, is_dir=True)
        if size:
            raise _fail("corrupt-archive", f"directory '{path}' has content", "rebuild")
        self._register(path, is_dir=True)
        self.members.append(MemberInfo(path, "dir", 0, 0o755))

    def _add_file(self, name: str, mode: int, size: int) -> None:
        path = check_member_path(name, self.limits)
        if size > self.limits.max_uncompressed_bytes - self.inf.consumed:
            raise _fail(
                "member-too-large",
                f"member '{path}' claims {size} bytes, over the limit",
                "remove or shrink the file",
                member=path,
                limit=self.limits.max_uncompressed_bytes,
                limit_name="max_uncompressed_bytes",
            )
        self._register(path, is_dir=False)
        info = MemberInfo(path, "file", size, 0o755 if mode & 0o111 else 0o644)
        self.members.append(info)
        self._stream(info)
        self._skip_padding(size)

    def _stream(self, info: MemberInfo) -> None:
        """Hand the member's content to its sink, or skip it, a chunk at a time."""
        sink = self.open_sink(info) if self.open_sink else None
        if sink is None:
            self.inf.skip(info.size)
        elif info.size <= self.limits.chunk_bytes:  # most files: one read, no generator
            sink.write(self.inf.read(info.size))
            sink.close()
        else:
            for chunk in self.inf.iter_exact(info.size):
                sink.write(chunk)
            sink.close()

    def _register(self, path: str, *, is_dir: bool) -> None:
        key = collision_key(path)
        if path in self.exact:
            raise _fail(
                "duplicate-member",
                f"member '{path}' appears twice",
                "each path may appear once",
                member=path,
            )
        if key in self.keys:
            raise _fail(
                "name-collision",
                f"members '{self.keys[key]}' and '{path}' are the same file on "
                "case-insensitive or normalising file systems",
                "rename one of them",
                member=path,
            )
        # Walk up until a folder already known: its own ancestors were checked with it.
        parents = []
        parts = path.split("/")
        for depth in range(len(parts) - 1, 0, -1):
            parent = collision_key("/".join(parts[:depth]))
            if parent in self.dir_keys:
                break
            parents.append(parent)
        if any(p in self.file_keys for p in parents) or (key in self.dir_keys and not is_dir):
            raise _fail(
                "path-conflict",
                f"member '{path}' is both a file and a folder",
                "rename the file or the folder",
                member=path,
            )
        self.exact.add(path)
        self.keys[key] = path
        self.dir_keys.update(parents)
        (self.dir_keys if is_dir else self.file_keys).add(key)


def read_archive(
    source: PackageSource, open_sink: OpenSink | None = None, limits: Limits = DEFAULT_LIMITS
) -> ArchiveListing:
    """Walk a package once, strictly, handing each file's content to a sink.

    Args:
        source: The package (bytes, a path, or a binary stream positioned at its start).
        open_sink: Called for each regular file before its content; returns where the
            content goes, or ``None`` to skip it. Sinks may raise to abort the walk.
        limits: Caps on sizes, counts and names.

    Returns:
        The members in archive order plus sizes and the sha256 of the package bytes.

    Raises:
        ArchiveError: The archive is unsafe or malformed (the code says which rule).
            When it is raised, content already given to sinks must be discarded.
    """
    stream, total, owned = _open_source(source)
    try:
        inflater = _Inflater(stream, total, limits)
        inflater.check_magic()
        walker = _TarWalker(inflater, open_sink, limits)
        walker.walk()
        inflater.finish()
        return ArchiveListing(
            members=tuple(walker.members),
            compressed_size=inflater.compressed,
            uncompressed_size=inflater.inflated,
            sha256=inflater.sha256.hexdigest(),
        )
    finally:
        if owned:
            stream.close()
