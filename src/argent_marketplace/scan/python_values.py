"""The abstract values the Python rules reason about.

A :class:`Val` is what the scanner knows about an expression without running it:
its string when it can be folded (``"o" + "s"``, ``"".join(map(chr, [...]))``,
``base64.b64decode("...").decode()``), partly folded strings with
:data:`~argent_marketplace.scan.patterns.UNKNOWN` holes (``f"{home}/.ssh/id_rsa"``),
what it refers to (a module or function, after aliases), and *labels* saying
where its data came from (decoded, downloaded, the whole environment...).
"""

from __future__ import annotations

import base64
import binascii
import bz2
import codecs
import lzma
import re
import zlib
from collections.abc import Iterable
from typing import NamedTuple

from argent_marketplace.scan.patterns import UNKNOWN

__all__ = [
    "ASSEMBLED",
    "BLOB",
    "BYTES",
    "CODE",
    "CREDENTIAL",
    "DECODED",
    "ENVIRON",
    "ENV_DUMP",
    "FILE",
    "INDIRECT",
    "NAMED_ENV",
    "NETWORK",
    "NOTHING",
    "OBFUSCATED",
    "PKGDIR",
    "PKGFILE",
    "PLATFORM",
    "RETURNED",
    "TMP",
    "WFILE",
    "Val",
    "decode_bytes",
    "fold_decode",
    "join_texts",
    "location",
    "union",
]

ASSEMBLED = "assembled"  # a string built from pieces (concatenation, chr(), join, reversal)
BLOB = "blob"  # contains a long base64/hex literal
BYTES = "bytes"  # a bytes literal (embedded data)
CODE = "code"  # a code object (compile, marshal)
CREDENTIAL = "credential"  # read from a secret store
DECODED = "decoded"  # output of base64/hex/zlib/rot13/marshal decoding
ENVIRON = "environ"  # the os.environ mapping itself
ENV_DUMP = "env-dump"  # the whole environment, copied or serialised
FILE = "file"  # read from some file
INDIRECT = "indirect"  # a dangerous callable reached through getattr or a namespace
NETWORK = "network"  # downloaded, or a network object (socket, session, response)
PKGDIR = "pkgdir"  # a path inside the connector's own folder (from __file__)
PKGFILE = "pkgfile"  # read from a file shipped in the connector's own folder
PLATFORM = "platform"  # cloud metadata or Kubernetes credentials (the platform's own)
TMP = "tmp"  # a path in the temp folder
WFILE = "wfile"  # a file opened for writing
# A prefix: "@.util.collect" labels what a call into the package's own modules returned,
# so that the package rules can tell what another file's function gives the network.
RETURNED = "@"
# A prefix: "$GITHUB_TOKEN" labels the value of an environment variable whose name says it
# holds a secret, so the package rules can tell a connector's own keys from others'.
NAMED_ENV = "$"
OBFUSCATED = frozenset({ASSEMBLED, BLOB})


class Val(NamedTuple):
    """What is known about one expression.

    A named tuple rather than a frozen dataclass: the evaluator makes one per
    expression it looks at, and a tuple is built in C (a frozen dataclass's
    ``__init__`` sets each field through ``object.__setattr__``, several times slower).

    Attributes:
        text: The folded string, with ``UNKNOWN`` for unknown parts; ``None`` when
            nothing of it is known.
        exact: ``text`` is the whole value (no unknown part).
        labels: Where the data came from (module constants).
        qual: The module or callable the value *is* (``os``, ``os.system``).
        items: The elements of a list or tuple display.
        func: The local function the value is, for call summaries.
    """

    text: str | None = None
    exact: bool = False
    labels: frozenset[str] = frozenset()
    qual: str | None = None
    items: tuple[Val, ...] | None = None
    func: object = None

    def partial(self) -> str:
        """The text with unknown parts marked, or one marker when nothing is known."""
        return self.text if self.text is not None else UNKNOWN

    def with_labels(self, *extra: str) -> Val:
        """A copy carrying ``extra`` labels too."""
        return Val(self.text, self.exact, self.labels | set(extra), self.qual, self.items)


NOTHING = Val()


def const(text: str) -> Val:
    """A literal string."""
    return Val(text, True)


def union(vals: Iterable[Val]) -> frozenset[str]:
    """All labels of ``vals``."""
    out: set[str] = set()
    for v in vals:
        out |= v.labels
    return frozenset(out)


def join_texts(vals: Iterable[Val], sep: str = "") -> tuple[str, bool]:
    """The texts of ``vals`` joined, and whether every part was known."""
    parts: list[str] = []
    exact = True
    for v in vals:
        parts.append(v.partial())
        exact = exact and v.exact
    return sep.join(parts), exact


_MAX_DECODED = 1 << 20
_CODEC = re.compile(r"rot[-_]?13|hex|base64|bz2|zlib", re.I)


def _as_text(raw: bytes) -> str | None:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None


def fold_decode(qual: str, args: list[Val]) -> str | None:
    """Decode a literal at scan time (never executing it) so the rules see the payload.

    Only text codecs are folded: ``base64``, hex and rot13. The result is bounded.
    """
    if not args or not args[0].exact or args[0].text is None:
        return None
    source = args[0].text
    if len(source) > 4 * _MAX_DECODED:
        return None
    try:
        if qual == "codecs.decode":
            codec = args[1].text if len(args) > 1 and args[1].exact else None
            if codec and codec.lower().replace("-", "_") in {"rot13", "rot_13"}:
                return codecs.decode(source, "rot13")
            return None
        if qual.removeprefix("builtins.") in {
            "bytes.fromhex",
            "bytearray.fromhex",
            "binascii.unhexlify",
            "binascii.a2b_hex",
        }:
            return _as_text(bytes.fromhex(source))
        if qual in {"base64.b64decode", "base64.standard_b64decode", "base64.decodebytes"}:
            return _as_text(base64.b64decode(source))
        if qual == "base64.urlsafe_b64decode":
            return _as_text(base64.urlsafe_b64decode(source))
        if qual == "base64.b32decode":
            return _as_text(base64.b32decode(source))
        if qual == "base64.b16decode":
            return _as_text(base64.b16decode(source))
    except (ValueError, binascii.Error):
        return None
    return None


def decode_bytes(qual: str, data: bytes, limit: int) -> bytes | None:
    """What decoder ``qual`` makes of ``data``, at most ``limit`` bytes (never run).

    For the hidden-code rule: base64, hex and the decompressors, chained by the caller.
    """
    name = qual.removeprefix("builtins.")
    try:
        if name in ("base64.b64decode", "base64.standard_b64decode", "base64.decodebytes",
                    "binascii.a2b_base64"):  # fmt: skip
            return base64.b64decode(data)[:limit]
        if name == "base64.urlsafe_b64decode":
            return base64.urlsafe_b64decode(data)[:limit]
        if name == "base64.b32decode":
            return base64.b32decode(data)[:limit]
        if name == "base64.b85decode":
            return base64.b85decode(data)[:limit]
        if name == "base64.a85decode":
            return base64.a85decode(data)[:limit]
        if name in ("bytes.fromhex", "bytearray.fromhex", "binascii.unhexlify",
                    "binascii.a2b_hex", "base64.b16decode"):  # fmt: skip
            return bytes.fromhex(data.decode("latin-1"))[:limit]
        if name == "zlib.decompress":
            return zlib.decompressobj().decompress(data, limit)
        if name == "gzip.decompress":
            return zlib.decompressobj(wbits=31).decompress(data, limit)
        if name == "bz2.decompress":
            return bz2.BZ2Decompressor().decompress(data, limit)
        if name == "lzma.decompress":
            return lzma.LZMADecompressor().decompress(data, limit)
    except (ValueError, binascii.Error, zlib.error, OSError, EOFError, lzma.LZMAError):
        return None
    return None


def is_codec_name(text: str | None) -> bool:
    """``"rot13"``, ``"hex"``... passed to ``.decode()``/``codecs.decode``."""
    return bool(text and _CODEC.fullmatch(text))


_HOME = ("~", "/home/", "/users/", "/root", "c:/users/")
# Recognises temp paths in scanned code; we create no file there.
_TEMP = ("/tmp", "/var/tmp", "/dev/shm", "/private/tmp", "/var/folders/")  # noqa: S108


def location(v: Val) -> str:
    """Where a path value points: ``package``, ``temp``, ``home``, ``system`` or ``unknown``."""
    if PKGDIR in v.labels:
        return "package"
    if TMP in v.labels:
        return "temp"
    text = (v.text or "").replace("\\", "/").lower()
    if text.startswith(_TEMP):
        return "temp"
    if text.startswith(_HOME) or "/.config/" in text or text.startswith("%appdata%"):
        return "home"
    if text.startswith("/") or re.match(r"[a-z]:/", text):
        return "system"
    return "unknown"
