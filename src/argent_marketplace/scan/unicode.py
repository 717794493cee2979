"""Characters that make text read differently to people and to machines (D2).

* Bidirectional controls (Trojan Source, CVE-2021-42574) reorder what an editor
  shows: in code they are ``trojan-source`` (high), as bandit's B613 would say; in
  documentation they are medium (they can still hide a prompt).
* Invisible characters (zero-width spaces, word joiners, Hangul fillers, Unicode
  tag characters) hide text or make two names look alike: high in code; tag
  characters (used to smuggle instructions to a model) are high anywhere.

The zero-width joiner and variation selectors inside emoji are legitimate in prose
and left alone.
"""

from __future__ import annotations

import re

from argent_marketplace.scan.findings import Finding

__all__ = ["unicode_findings"]

_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_INVISIBLE = re.compile("[\u00ad\u115f\u1160\u180e\u200b\u200c\u2060-\u2064\u3164\uffa0\ufeff]")
_TAGS = re.compile("[\U000e0000-\U000e007f]")
_ZWJ = re.compile("\u200d")


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _code_point(ch: str) -> str:
    return f"U+{ord(ch):04X}"


def unicode_findings(path: str, text: str, *, code: bool) -> list[Finding]:
    """Hidden or direction-changing characters in one file's text.

    Args:
        path: The file's path in the package.
        text: Its decoded text.
        code: Whether the file is code (Python, shell, build configuration).
    """
    out: list[Finding] = []
    if text.isascii():  # every character these rules look for is outside ASCII
        return out
    body = text[1:] if text.startswith("\ufeff") else text
    m = _BIDI.search(body)
    if m:
        out.append(
            Finding(
                "trojan-source",
                "high" if code else "medium",
                path,
                _line_of(body, m.start()),
                f"bidirectional control character {_code_point(m.group())}: the text shown is "
                "not the text run (Trojan Source)",
                _code_point(m.group()),
            )
        )
    m = _TAGS.search(body)
    if m:
        out.append(
            Finding(
                "invisible-character",
                "high",
                path,
                _line_of(body, m.start()),
                "Unicode tag characters: invisible text that a model still reads",
                _code_point(m.group()),
            )
        )
    m = _INVISIBLE.search(body)
    if m is None and code:
        joiner = _ZWJ.search(body)
        m = joiner if joiner is not None and not _in_emoji(body, joiner.start()) else None
    if m:
        out.append(
            Finding(
                "invisible-character",
                "high" if code else "medium",
                path,
                _line_of(body, m.start()),
                f"invisible character {_code_point(m.group())}: hides text or makes names look "
                "alike",
                _code_point(m.group()),
            )
        )
    return out


def _in_emoji(text: str, offset: int) -> bool:
    before = text[offset - 1] if offset else ""
    after = text[offset + 1] if offset + 1 < len(text) else ""
    return any(ord(c) >= 0x2000 for c in (before, after) if c)
