"""Names that imitate other names: marketplace packages and popular PyPI dependencies.

A new package name is a typosquat of an existing one (published by another
author) when, without the ``aos-`` prefix and hyphens:

* it reads the same after mapping look-alike characters (``0``/``o``,
  ``1``/``l``/``i``, ``rn``/``m``, ``vv``/``w``, ``cl``/``d``, ``5``/``s``) and
  ``python`` to ``py``, or
* it is one edit away (insert, delete, substitute, or swap two neighbours), or
* it is the other name plus a word that claims authority (``aos-slack-official``).

Short names collide by accident more often, so an edit on a name under five
letters is ``medium`` (a person decides); longer names and look-alikes are ``high``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = [
    "POPULAR_DEPENDENCIES",
    "TRUST_WORDS",
    "base_name",
    "claimed_base",
    "near_popular_dependency",
    "one_edit_apart",
    "one_edit_variants",
    "skeleton_name",
    "typosquat_of",
]

_CONFUSABLE = (
    ("rn", "m"),
    ("vv", "w"),
    ("cl", "d"),
    ("0", "o"),
    ("1", "l"),
    ("i", "l"),
    ("5", "s"),
    ("3", "e"),
    ("4", "a"),
    ("7", "t"),
    ("8", "b"),
)
_SHORT = 5

POPULAR_DEPENDENCIES = frozenset(
    [
        "requests",
        "urllib3",
        "httpx",
        "aiohttp",
        "click",
        "typer",
        "rich",
        "pydantic",
        "attrs",
        "certifi",
        "charset-normalizer",
        "idna",
        "six",
        "python-dateutil",
        "pyyaml",
        "boto3",
        "botocore",
        "numpy",
        "pandas",
        "setuptools",
        "wheel",
        "pip",
        "cryptography",
        "pyjwt",
        "jinja2",
        "markupsafe",
        "beautifulsoup4",
        "lxml",
        "colorama",
        "tqdm",
        "keyring",
        "python-dotenv",
        "websockets",
        "websocket-client",
        "paramiko",
        "slack-sdk",
        "stripe",
        "openai",
        "anthropic",
        "google-api-python-client",
        "notion-client",
        "pygithub",
        "jsonschema",
        "tenacity",
        "backoff",
        "dataclasses",
        "toml",
        "tomli",
        "orjson",
        "ujson",
        "simplejson",
        "pytz",
        "tzdata",
        "filelock",
        "platformdirs",
        "psutil",
    ]
)
_DEP_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def base_name(name: str) -> str:
    """What a name is compared on: lower case, no ``aos-`` prefix, no separators."""
    return name.lower().removeprefix("aos-").replace("-", "").replace("_", "").replace(".", "")


def skeleton_name(name: str) -> str:
    """The base name with look-alike characters mapped to one of them.

    Then ``python`` is read as ``py``: ``py-foo`` passing for ``python-foo`` is the
    classic squat of a shortened word (SECURITY-CASES C2). After the look-alikes, so
    that ``pyth0n-foo`` still meets ``python-foo``.
    """
    s = base_name(name)
    for look, like in _CONFUSABLE:
        s = s.replace(look, like)
    return s.replace("python", "py")


_base, _skeleton = base_name, skeleton_name
_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"  # what a base name is made of


def one_edit_variants(base: str) -> set[str]:
    """Every string one edit (insert, delete, substitute, swap neighbours) from ``base``.

    About 72 per character: a database looks them up in an index on ``name_base``
    instead of reading every other name to compare (``typosquat_of`` then decides).
    """
    out: set[str] = set()
    for i in range(len(base) + 1):
        head, tail = base[:i], base[i:]
        out.update(head + c + tail for c in _ALPHABET)
        if tail:
            out.add(head + tail[1:])
            out.update(head + c + tail[1:] for c in _ALPHABET)
            if len(tail) > 1:
                out.add(head + tail[1] + tail[0] + tail[2:])
    out.discard(base)
    return out


def one_edit_apart(a: str, b: str) -> bool:
    """Damerau-Levenshtein distance exactly 1 (linear time, no matrix)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1 :]


# Words that claim authority rather than name a thing: "aos-slack-official" (or
# "aos-github-com", the vendor's domain) by anyone but the owner passes itself off as theirs.
TRUST_WORDS = frozenset(
    {"official", "verified", "original", "authentic", "genuine", "legit", "real", "trusted",
     "certified", "secure", "com", "hq", "inc"}
)  # fmt: skip


def claimed_base(name: str) -> str | None:
    """The base name without words that claim authority (``aos-slack-official`` -> ``slack``)."""
    tokens = [t for t in re.split(r"[-_.]+", name.lower().removeprefix("aos-")) if t]
    kept = [t for t in tokens if t not in TRUST_WORDS]
    return "".join(kept) if kept and len(kept) < len(tokens) else None


def typosquat_of(name: str, existing: Iterable[str]) -> tuple[str, str, str] | None:
    """``(imitated name, how, severity)`` when ``name`` imitates one of ``existing``."""
    mine, skeleton = _base(name), _skeleton(name)
    claimed = claimed_base(name)
    for other in existing:
        if other == name:
            continue
        theirs = _base(other)
        if mine == theirs or skeleton == _skeleton(other):
            return other, "looks like", "high"
        if claimed and (claimed == theirs or _skeleton(claimed) == _skeleton(other)):
            return other, "claims to be the official", "high"
        if one_edit_apart(mine, theirs) and min(len(mine), len(theirs)) >= 3:
            severity = "high" if min(len(mine), len(theirs)) >= _SHORT else "medium"
            return other, "is one typo away from", severity
    return None


def near_popular_dependency(requirement: str) -> str | None:
    """The popular package a requirement's name is one typo from, if any."""
    m = _DEP_NAME.match(requirement.strip())
    if not m:
        return None
    name = m.group().lower().replace("_", "-")
    if name in POPULAR_DEPENDENCIES or len(name) < _SHORT:
        return None
    for popular in POPULAR_DEPENDENCIES:
        if one_edit_apart(name, popular):
            return popular
    return None
