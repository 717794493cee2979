"""Which member paths a package may hold, decided once for packer and reader.

A path that passes :func:`check_member_path` is a relative POSIX path that is
safe to create under any directory on Linux, macOS and Windows: no traversal, no
drive or UNC prefix, no reserved or ambiguous names. :func:`collision_key` gives
the form under which two names would land on the same file on a case-insensitive
or normalising file system. :func:`is_within` is the containment test every
writer uses before touching disk.
"""

from __future__ import annotations

import os
import re
import unicodedata

from argent_marketplace.package.errors import ArchiveError
from argent_marketplace.package.limits import DEFAULT_LIMITS, Limits

__all__ = ["check_member_path", "collision_key", "is_within"]

_DRIVE = re.compile(r"^[A-Za-z]:")
_WINDOWS_RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"]
    + [f"COM{i}" for i in range(10)]
    + [f"LPT{i}" for i in range(10)]
    + ["COM¹", "COM²", "COM³", "LPT¹", "LPT²", "LPT³"]
)
# C0 and C1 control characters, DEL, backslash, the characters Windows forbids in names,
# and invisible or direction-changing characters that make a name read as another: soft
# hyphen, Arabic letter mark, Mongolian vowel separator, zero-width and bidi marks, line
# and paragraph separators, bidi embeddings and isolates, deprecated format characters,
# variation selectors, BOM and the tag characters. These give the clearest messages; the
# Unicode category check after them refuses every other format, private-use, surrogate
# or unassigned character too.
_FORBIDDEN = re.compile(
    r'[\x00-\x1f\x7f-\x9f<>:"|?*\\\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e'
    r"\u2060-\u206f\ufe00-\ufe0f\ufeff\U000e0000-\U000e007f]"
)
# Control, format, surrogate, private-use and unassigned: invisible, or shown differently
# by every font and terminal. (Unassigned follows this Python's Unicode version.)
_FORBIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})
# The common case, checked in one step: ASCII components that start with a letter, digit
# or underscore, contain no special character, do not end in a dot, and are no Windows
# device name. Anything else takes the slow path, which explains what is wrong.
_SAFE_COMPONENT = (
    r"(?!(?i:con|prn|aux|nul|com[0-9]|lpt[0-9])(?:\.|/|$))"
    r"[A-Za-z0-9_](?:[A-Za-z0-9_.+@=,-]{0,253}[A-Za-z0-9_+@=,-])?"
)
_SAFE_PATH = re.compile(rf"{_SAFE_COMPONENT}(?:/{_SAFE_COMPONENT})*")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _reject(code: str, message: str, path: str, hint: str) -> ArchiveError:
    return ArchiveError(message, code=code, hint=hint, details={"member": path})


def check_member_path(raw: str, limits: Limits = DEFAULT_LIMITS, *, is_dir: bool = False) -> str:
    """Validate one archive member path and return its canonical form.

    A single leading ``./`` (what ``tar -C dir .`` writes) and, for directories
    only, a trailing ``/`` are dropped; nothing else is rewritten, so an unsafe
    name is refused rather than silently repaired.

    Args:
        raw: The member path as decoded from the archive.
        limits: Length and depth caps.
        is_dir: Whether the member is a directory (which may end in ``/``).

    Returns:
        The canonical relative path (``a/b.py``).

    Raises:
        ArchiveError: ``absolute-path``, ``path-traversal``, ``invalid-name``,
            ``name-too-long`` or ``too-deep``.
    """
    if (
        _SAFE_PATH.fullmatch(raw)
        and len(raw) <= limits.max_path_bytes
        and raw.count("/") < limits.max_depth
        # conservative: a whole path within the component cap has every component within it
        and len(raw) <= limits.max_component_bytes
    ):
        return raw  # fast path: plainly safe; the full check gives the same answer
    return _check_member_path_fully(raw, limits, is_dir=is_dir)


def _check_member_path_fully(raw: str, limits: Limits, *, is_dir: bool) -> str:
    shown = repr(raw)[1:-1]
    # Traversal and absolute forms first: these are attacks, not typos.
    if raw.startswith("/"):
        raise _reject(
            "absolute-path",
            f"member '{shown}' has an absolute path",
            raw,
            "store paths relative to the package root",
        )
    if raw.startswith("\\\\") or _DRIVE.match(raw):
        raise _reject(
            "path-traversal",
            f"member '{shown}' has a drive or UNC prefix",
            raw,
            "store POSIX paths relative to the package root",
        )
    if any(part == ".." for part in re.split(r"[\\/]", raw)):
        raise _reject(
            "path-traversal",
            f"member '{shown}' contains '..'",
            raw,
            "remove parent-directory components from member paths",
        )
    path = raw[2:] if raw.startswith("./") else raw
    if is_dir:
        path = path.removesuffix("/")
    elif path.endswith("/"):
        raise _reject(
            "invalid-name",
            f"file member '{shown}' ends in '/'",
            raw,
            "only folders may end in '/'; rebuild the package",
        )
    if not path:
        raise _reject("invalid-name", "member with an empty name", raw, "give every member a name")
    surrogate = _SURROGATE.search(path)
    if surrogate is not None:  # a name that was not UTF-8 (os.fsdecode's surrogateescape)
        raise _reject(
            "invalid-name",
            f"member '{shown}' is not valid UTF-8 ({surrogate.group()!a})",
            raw,
            "rename the file using UTF-8 characters",
        )
    if len(path.encode("utf-8")) > limits.max_path_bytes:
        raise _reject(
            "name-too-long",
            f"member path is over {limits.max_path_bytes} bytes",
            raw[:80],
            "shorten the path",
        )
    parts = path.split("/")
    if len(parts) > limits.max_depth:
        raise _reject(
            "too-deep",
            f"member '{shown[:80]}' is {len(parts)} levels deep (limit {limits.max_depth})",
            raw[:80],
            "flatten the folder structure",
        )
    for part in parts:
        _check_component(part, raw, shown, limits)
    return path


def _check_component(part: str, raw: str, shown: str, limits: Limits) -> None:
    if part in ("", "."):
        raise _reject(
            "invalid-name",
            f"member '{shown}' has an empty or '.' path component",
            raw,
            "use plain relative paths such as 'agent-harness/cli.py'",
        )
    if len(part.encode("utf-8")) > limits.max_component_bytes:
        raise _reject(
            "name-too-long",
            f"a component of member '{shown[:80]}' is over {limits.max_component_bytes} bytes",
            raw[:80],
            "shorten the file or folder name",
        )
    found = _FORBIDDEN.search(part)
    bad = found.group() if found is not None else _unusual_character(part)
    if bad is not None:
        what = "a backslash" if bad == "\\" else f"the character {bad!a}"
        raise _reject(
            "invalid-name",
            f"member '{shown}' contains {what}",
            raw,
            "use letters, digits, '-', '_', '.' and '/' in file names",
        )
    if part[0] == " ":
        raise _reject(
            "invalid-name",
            f"member '{shown}' has a component starting with a space",
            raw,
            "rename it: leading spaces are invisible and easy to spoof",
        )
    if part[-1] in ". ":
        raise _reject(
            "invalid-name",
            f"member '{shown}' has a component ending in a dot or space",
            raw,
            "rename it: Windows cannot represent such names",
        )
    if part.split(".", 1)[0].rstrip(" ").upper() in _WINDOWS_RESERVED:
        raise _reject(
            "invalid-name",
            f"member '{shown}' uses a reserved device name",
            raw,
            "rename it: CON, NUL, COM1... are devices on Windows",
        )


def _unusual_character(part: str) -> str | None:
    """The first character of a category no file name should use (ASCII has none left)."""
    if part.isascii():
        return None
    return next((c for c in part if unicodedata.category(c) in _FORBIDDEN_CATEGORIES), None)


def collision_key(path: str) -> str:
    """The form under which two paths name the same file somewhere (NFC + casefold)."""
    if path.isascii():
        return path.lower()  # NFC is the identity and casefold is lower() on ASCII
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", path).casefold())


def is_within(root: str | os.PathLike[str], candidate: str | os.PathLike[str]) -> bool:
    """Whether ``candidate`` lies inside ``root`` (component-wise, never a bare string prefix).

    ``/x/dest-evil/f`` is *not* within ``/x/dest``: the prefix compared ends with a
    separator, so a sibling with a common prefix stays out. Both paths are made
    absolute and normalised (``..`` folded, as :func:`os.path.normpath` does) as
    strings: this runs once per extracted file, and ``Path.parents`` cost ~20 µs a call.
    """
    # Not Path.resolve(): links are not followed on purpose (the writer refuses them).
    root_abs = os.path.abspath(root)  # noqa: PTH100
    cand_abs = os.path.abspath(candidate)  # noqa: PTH100
    return cand_abs == root_abs or cand_abs.startswith(root_abs.rstrip(os.sep) + os.sep)
