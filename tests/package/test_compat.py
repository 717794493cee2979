"""ArgentOS version ranges: which versions they admit, and the minimum clients are shown."""

from __future__ import annotations

import pytest

from argent_marketplace.package.compat import parse_range


@pytest.mark.parametrize(
    ("text", "inside", "outside"),
    [
        (">=2026.3.0", "2026.3", "2026.2.9"),
        (">=2026.3, <2027", "2026.12.1.4", "2027.0"),
        ("==2026.5.6.4", "2026.5.6.4", "2026.5.6"),
        ("*", "1.0", None),
    ],
)
def test_ranges_admit_what_they_say(text: str, inside: str, outside: str | None) -> None:
    parsed = parse_range(text)
    assert parsed.contains(inside)
    assert outside is None or not parsed.contains(outside)


@pytest.mark.parametrize(
    ("text", "minimum"),
    [
        (">=2026.3.0", "2026.3.0"),
        (">=2026.3", "2026.3.0"),
        (">=2026.1, >2026.4.1, <2027", "2026.4.1"),  # the tightest lower bound
        ("==2026.5.6.4", "2026.5.6.4"),
        ("<2027", ""),
        ("*", ""),
    ],
)
def test_the_minimum_is_a_version(text: str, minimum: str) -> None:
    """Existing clients read ``min_argent_version``: a version, never a range."""
    assert parse_range(text).minimum() == minimum


def test_a_bad_comparator_says_which() -> None:
    with pytest.raises(ValueError, match="'~2026' is not a comparator"):
        parse_range("~2026")
