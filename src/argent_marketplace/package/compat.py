"""ArgentOS versions and the ``compatibility.argentos`` ranges that select them.

ArgentOS uses calendar versions of one to four dot-separated integers
(``2026.5.6.4``); missing parts count as 0, so ``2026.3`` == ``2026.3.0.0``.
A range is one or more comparators joined by commas or spaces, every one of
which must hold: ``>=2026.3.0``, ``>=2026.3, <2027``, ``==2026.5.6.4``, or
``*`` for any version. Operators: ``>= > <= < == !=``. Only ASCII digits,
spaces and commas count: tabs, newlines and other Unicode digits or spaces
are refused, so the JSON Schema and this parser accept the same texts.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["VersionRange", "parse_argentos_version", "parse_range"]

_VERSION = re.compile(r"(0|[1-9][0-9]{0,8})(\.(0|[1-9][0-9]{0,8})){0,3}")
_COMPARATOR = re.compile(r"(>=|<=|==|!=|>|<) *([0-9][0-9.]*)(?=\Z|[ ,])")
_OPS: dict[str, Callable[[tuple[int, ...], tuple[int, ...]], bool]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
    "==": operator.eq,
    "!=": operator.ne,
}


def parse_argentos_version(text: str) -> tuple[int, int, int, int]:
    """``'2026.5'`` -> ``(2026, 5, 0, 0)``.

    Raises:
        ValueError: Not one to four dot-separated integers without leading zeros.
    """
    if not _VERSION.fullmatch(text):
        raise ValueError(f"'{text}' is not an ArgentOS version (like 2026.5.6.4)")
    parts = [int(p) for p in text.split(".")]
    parts += [0] * (4 - len(parts))
    return (parts[0], parts[1], parts[2], parts[3])


@dataclass(frozen=True, slots=True)
class VersionRange:
    """A parsed range; ``contains`` answers whether a version satisfies it."""

    text: str
    comparators: tuple[tuple[str, tuple[int, int, int, int]], ...]

    def contains(self, version: str) -> bool:
        """Whether ``version`` (an ArgentOS version string) satisfies every comparator."""
        v = parse_argentos_version(version)
        return all(_OPS[op](v, bound) for op, bound in self.comparators)

    def minimum(self) -> str:
        """The highest lower bound (``>=``, ``>``, ``==``) as a version, or ``""`` for none.

        What existing clients read as ``min_argent_version``: a version, not a range.
        """
        lows = [bound for op, bound in self.comparators if op in (">=", ">", "==")]
        if not lows:
            return ""
        parts = list(max(lows))
        while len(parts) > 3 and parts[-1] == 0:
            parts.pop()
        return ".".join(map(str, parts))


def parse_range(text: str) -> VersionRange:
    """Parse a ``compatibility.argentos`` range.

    Raises:
        ValueError: With a message that says which comparator is wrong.
    """
    stripped = text.strip(" ")
    if stripped == "*":
        return VersionRange(text, ())
    if not stripped:
        raise ValueError("the range is empty; use e.g. '>=2026.3.0'")
    comparators = []
    rest = stripped
    while rest:
        match = _COMPARATOR.match(rest)
        if match is None:
            raise ValueError(
                f"{rest.split(',')[0].strip(' ')!r} is not a comparator; use an operator "
                "(>=, >, <=, <, ==, !=) then a version, e.g. '>=2026.3.0', joined by spaces "
                "or commas"
            )
        op, version = match.group(1), match.group(2)
        comparators.append((op, parse_argentos_version(version)))
        rest = rest[match.end() :].lstrip(" ,")
    return VersionRange(text, tuple(comparators))
