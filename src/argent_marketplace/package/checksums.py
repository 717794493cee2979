"""``SHA256SUMS``: one strict format, written and read by the same rules.

A line is ``<64 lowercase hex>  <path>\\n`` exactly as GNU ``sha256sum`` writes
for ordinary names, and lines are sorted by path (code point order, which is
UTF-8 byte order: ``LC_ALL=C sort``). Variants that other tools accept (``*``
binary marker, uppercase or short hex, CRLF, a BOM, escaped names, ``./``
prefixes, any order) are refused, so one set of files has exactly one
``SHA256SUMS`` and the server and every client read it the same way
(SECURITY-CASES A17).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Container, Iterable

from argent_marketplace.package.errors import ArchiveError, IntegrityError
from argent_marketplace.package.names import check_member_path

__all__ = ["SHA256SUMS", "SIGNATURE", "SIGNING_FILES", "format_sums", "parse_sums"]

SHA256SUMS = "SHA256SUMS"
SIGNATURE = "SIGNATURE"
SIGNING_FILES = frozenset({SHA256SUMS, SIGNATURE})
"""The two files signing adds; SHA256SUMS lists every file but these."""

_LINE = re.compile(rb"([0-9a-f]{64})  ([^\r\n]+)")
_WHOLE_FILE = re.compile(rb"(?:[0-9a-f]{64}  [^\r\n]+\n)+")


def format_sums(entries: Iterable[tuple[str, str]]) -> bytes:
    """Render ``(path, sha256-hex)`` pairs sorted by path, one line each."""
    return b"".join(
        f"{digest}  {path}\n".encode() for path, digest in sorted(entries, key=lambda e: e[0])
    )


def _malformed(lineno: int, why: str) -> IntegrityError:
    return IntegrityError(
        f"SHA256SUMS line {lineno}: {why}",
        code="malformed-checksums",
        hint="regenerate it with 'argent marketplace sign'",
        details={"line": lineno},
    )


def parse_sums(data: bytes, known: Container[str] = ()) -> dict[str, str]:
    """Parse ``SHA256SUMS`` into ``{path: hex}``.

    Args:
        data: The file's bytes.
        known: Canonical member paths already accepted by the reader; their
            names need no second check (any other path is checked in full).

    Raises:
        IntegrityError: ``malformed-checksums`` naming the first bad line (a line
            out of path order included).
    """
    fast = _parse_sums_fast(data, known)
    if fast is not None:
        return fast
    if data.startswith(b"\xef\xbb\xbf"):
        raise _malformed(1, "starts with a byte-order mark")
    if not data:
        raise _malformed(1, "the file is empty")
    if not data.endswith(b"\n"):
        raise _malformed(data.count(b"\n") + 1, "the last line has no newline")
    sums: dict[str, str] = {}
    previous = ""
    for lineno, line in enumerate(data[:-1].split(b"\n"), start=1):
        match = _LINE.fullmatch(line)
        if match is None:
            raise _malformed(lineno, _why_bad(line))
        digest, raw_path = match.group(1).decode(), match.group(2)
        try:
            path = raw_path.decode("utf-8")
        except UnicodeDecodeError:
            raise _malformed(lineno, "the path is not UTF-8") from None
        if path in known:
            canonical = path
        else:
            try:
                canonical = check_member_path(path)
            except ArchiveError as exc:
                raise _malformed(lineno, exc.message) from exc
        if canonical != path:
            raise _malformed(lineno, f"path '{path}' is not in canonical form ('{canonical}')")
        if path in SIGNING_FILES:
            raise _malformed(lineno, f"{path} must not list itself or the signature")
        if path in sums:
            raise _malformed(lineno, f"'{path}' is listed twice")
        if path < previous:
            raise _malformed(lineno, f"'{path}' comes after '{previous}'; lines must be sorted")
        sums[path] = digest
        previous = path
    return sums


def _parse_sums_fast(data: bytes, known: Container[str]) -> dict[str, str] | None:
    """The whole file at once when every line is well-formed and names a known member.

    Returns ``None`` whenever anything is unusual; the line-by-line parser then finds
    and names the problem, so both paths accept exactly the same files.
    """
    if not known or not _WHOLE_FILE.fullmatch(data):
        return None
    try:
        lines = data.decode("utf-8").split("\n")[:-1]
    except UnicodeDecodeError:
        return None
    sums = {line[66:]: line[:64] for line in lines}
    if len(sums) != len(lines) or not all(path in known for path in sums):
        return None
    if not SIGNING_FILES.isdisjoint(sums):
        return None
    paths = list(sums)
    if any(a > b for a, b in itertools.pairwise(paths)):
        return None  # out of order: the line-by-line parser names the line
    return sums


def _why_bad(line: bytes) -> str:
    if line.endswith(b"\r"):
        return "has a CRLF line ending"
    if not line:
        return "is empty"
    head, _, rest = line.partition(b" ")
    if rest.startswith(b"*"):
        return "uses the '*' binary marker"
    if re.fullmatch(rb"[0-9A-Fa-f]+", head) and head.lower() == head and len(head) != 64:
        return f"the hash has {len(head)} hex digits, not 64"
    if re.fullmatch(rb"[0-9A-Fa-f]{64}", head):
        if head != head.lower():
            return "the hash is not lowercase hex"
        return "hash and path must be separated by exactly two spaces"
    if line.startswith(b"\\"):
        return "escaped file names are not supported"
    return "is not '<sha256 hex>  <path>'"
