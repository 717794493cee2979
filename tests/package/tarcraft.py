"""Hand-built tar and gzip bytes for adversarial reader tests.

Python's :mod:`tarfile` refuses (or silently repairs) most of what a hostile
package contains: absolute names, special bits, bogus sizes, malformed PAX
records. These helpers write 512-byte headers field by field instead, with a
correct checksum unless told otherwise, so a test can hand the reader exactly
the bytes an attacker would.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterable, Mapping
from typing import BinaryIO

BLOCK = 512
USTAR_MAGIC = b"ustar\x0000"  # POSIX ustar / pax: "ustar\0" + version "00"
GNU_MAGIC = b"ustar  \x00"  # GNU tar: "ustar  \0"
EOF = bytes(2 * BLOCK)

Name = str | bytes


def _b(value: Name) -> bytes:
    return value.encode("utf-8") if isinstance(value, str) else value


def octal(value: int, width: int) -> bytes:
    """A NUL-terminated zero-padded octal field of ``width`` bytes."""
    return f"{value:0{width - 1}o}".encode("ascii") + b"\x00"


def base256(value: int, width: int = 12) -> bytes:
    """A GNU base-256 numeric field (high bit of the first byte set)."""
    return b"\x80" + value.to_bytes(width - 1, "big")


def number(value: int, width: int) -> bytes:
    """Octal when it fits, else GNU base-256 (what GNU tar does for huge sizes)."""
    if value < 8 ** (width - 1):
        return octal(value, width)
    return base256(value, width)


def _field(data: bytes, width: int) -> bytes:
    if len(data) > width:
        raise ValueError(f"{data!r} does not fit in {width} bytes")
    return data.ljust(width, b"\x00")


def pad(data: bytes) -> bytes:
    """``data`` followed by zeros up to the next block boundary."""
    return data + bytes(-len(data) % BLOCK)


def header(
    name: Name,
    *,
    size: int = 0,
    typeflag: bytes = b"0",
    mode: int = 0o644,
    linkname: Name = b"",
    prefix: Name = b"",
    magic: bytes = USTAR_MAGIC,
    size_field: bytes | None = None,
    mode_field: bytes | None = None,
    mtime_field: bytes | None = None,
    checksum: int | None = None,
    checksum_delta: int = 0,
) -> bytes:
    """One 512-byte tar header.

    ``size_field``/``mode_field``/``mtime_field`` override the encoded numeric
    fields verbatim; ``checksum`` overrides the computed sum and
    ``checksum_delta`` skews it (for corrupt-header tests).
    """
    if len(magic) != 8:
        raise ValueError("magic covers the 8 bytes of magic + version")
    for given, width in ((size_field, 12), (mode_field, 8), (mtime_field, 12)):
        if given is not None and len(given) != width:
            raise ValueError(f"numeric field {given!r} must be {width} bytes")
    fields = [
        _field(_b(name), 100),
        mode_field if mode_field is not None else octal(mode, 8),
        octal(0, 8),  # uid
        octal(0, 8),  # gid
        size_field if size_field is not None else number(size, 12),
        mtime_field if mtime_field is not None else octal(0, 12),
        b" " * 8,  # checksum placeholder
        typeflag,
        _field(_b(linkname), 100),
        magic,
        bytes(32),  # uname
        bytes(32),  # gname
        octal(0, 8),  # devmajor
        octal(0, 8),  # devminor
        _field(_b(prefix), 155),
        bytes(12),
    ]
    block = bytearray(b"".join(fields))
    if len(block) != BLOCK:
        raise ValueError(f"header is {len(block)} bytes")
    chk = sum(block) if checksum is None else checksum
    block[148:156] = f"{chk + checksum_delta:06o}".encode("ascii") + b"\x00 "
    return bytes(block)


def member(
    name: Name,
    data: bytes = b"",
    *,
    typeflag: bytes = b"0",
    mode: int = 0o644,
    size: int | None = None,
    **fields: bytes | None,
) -> bytes:
    """A header plus its padded body; ``size`` defaults to ``len(data)``."""
    hdr = header(
        name,
        size=len(data) if size is None else size,
        typeflag=typeflag,
        mode=mode,
        **fields,  # type: ignore[arg-type]
    )
    return hdr + pad(data)


def directory(name: Name, *, mode: int = 0o755) -> bytes:
    """A directory member (typeflag ``5``)."""
    return header(name, typeflag=b"5", mode=mode)


def symlink(name: Name, target: Name) -> bytes:
    return header(name, typeflag=b"2", mode=0o777, linkname=target)


def hardlink(name: Name, target: Name) -> bytes:
    return header(name, typeflag=b"1", linkname=target)


def pax_record(key: str, value: Name) -> bytes:
    """One ``LEN key=value\\n`` record whose LEN counts itself."""
    payload = b" " + key.encode("utf-8") + b"=" + _b(value) + b"\n"
    length = len(payload) + 1
    while len(str(length)) + len(payload) != length:
        length = len(str(length)) + len(payload)
    return str(length).encode("ascii") + payload


def pax_body(records: Mapping[str, Name]) -> bytes:
    return b"".join(pax_record(k, v) for k, v in records.items())


def pax(
    records: Mapping[str, Name] | None = None,
    *,
    body: bytes | None = None,
    typeflag: bytes = b"x",
    size: int | None = None,
) -> bytes:
    """A PAX extended header (``x``, or ``g`` for global) with well-formed or raw body."""
    data = pax_body(records or {}) if body is None else body
    hdr = header(
        b"././@PaxHeader",
        size=len(data) if size is None else size,
        typeflag=typeflag,
        mode=0o644,
    )
    return hdr + pad(data)


def gnu_longname(name: Name) -> bytes:
    """A GNU ``L`` header carrying a long name for the next member."""
    data = _b(name) + b"\x00"
    hdr = header(b"././@LongLink", size=len(data), typeflag=b"L", magic=GNU_MAGIC)
    return hdr + pad(data)


def tar(*parts: bytes, eof: bool = True) -> bytes:
    """Concatenate members, then the two zero end blocks unless ``eof`` is False."""
    return b"".join(parts) + (EOF if eof else b"")


def gz(data: bytes, level: int = 6) -> bytes:
    """One gzip member with mtime 0 (deterministic)."""
    return gzip.compress(data, compresslevel=level, mtime=0)


def targz(*parts: bytes, eof: bool = True) -> bytes:
    """``gz(tar(*parts))``: the usual shape of a package."""
    return gz(tar(*parts, eof=eof))


def write_gzip_stream(out: BinaryIO, chunks: Iterable[bytes], level: int = 9) -> int:
    """Gzip ``chunks`` into ``out`` with a streaming compressor; returns bytes written."""
    comp = zlib.compressobj(level, zlib.DEFLATED, 31)
    written = 0
    for chunk in chunks:
        block = comp.compress(chunk)
        out.write(block)
        written += len(block)
    block = comp.flush()
    out.write(block)
    return written + len(block)


def zeros(total: int, step: int = 1 << 20) -> Iterable[bytes]:
    """``total`` zero bytes, ``step`` at a time, without ever holding them all."""
    chunk = bytes(step)
    while total > 0:
        n = min(step, total)
        yield chunk if n == step else bytes(n)
        total -= n
