"""The member-name rules: the fast path and the full check always agree."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from argent_marketplace.package.errors import ArchiveError
from argent_marketplace.package.limits import DEFAULT_LIMITS, Limits
from argent_marketplace.package.names import (
    _check_member_path_fully,
    check_member_path,
    collision_key,
)

ALPHABET = (
    "aZ09_-.+@=,/ \\:*é\u00dfK\u212a\x01\x9bCONulcom1LPT"
    "\u00ad\u061c\u2028\u206a\ufe0f\U000e0041\ue000\u0378\udcff"
)


def _outcome(fn, path: str, limits: Limits) -> str:
    try:
        return "ok:" + fn(path)
    except ArchiveError as exc:
        return "err:" + exc.code


@settings(max_examples=3000, deadline=None)
@given(
    st.text(ALPHABET, max_size=40),
    st.sampled_from(
        [DEFAULT_LIMITS, Limits(max_component_bytes=8, max_depth=3, max_path_bytes=20)]
    ),
)
def test_fast_path_agrees_with_full_check(path: str, limits: Limits) -> None:
    fast = _outcome(lambda p: check_member_path(p, limits), path, limits)
    full = _outcome(lambda p: _check_member_path_fully(p, limits, is_dir=False), path, limits)
    assert fast == full


@given(st.text(ALPHABET, max_size=20))
def test_ascii_collision_key_matches_unicode_rule(path: str) -> None:
    import unicodedata

    expected = unicodedata.normalize("NFC", unicodedata.normalize("NFC", path).casefold())
    assert collision_key(path) == expected


@pytest.mark.parametrize(
    "char",
    [
        "\u00ad",  # soft hyphen
        "\u061c",  # Arabic letter mark
        "\u180e",  # Mongolian vowel separator
        "\u2028",  # line separator
        "\u2029",  # paragraph separator
        "\u206a",  # inhibit symmetric swapping (deprecated format)
        "\u206f",
        "\ufe00",  # variation selectors
        "\ufe0f",
        "\U000e0001",  # language tag
        "\U000e0041",  # tag latin capital A (ASCII smuggling)
        "\U000e007f",
        "\u2061",  # function application (Cf)
        "\U0001d173",  # musical symbol begin beam (Cf)
        "\ue000",  # private use (Co)
        "\U000f0000",  # supplementary private use
        "\u0378",  # unassigned (Cn)
        "\udcff",  # surrogate: a non-UTF-8 byte decoded with surrogateescape
    ],
    ids=ascii,
)
def test_invisible_private_and_unassigned_characters_are_refused(char: str) -> None:
    """L5: every Cc, Cf, Cs, Co and Cn character is refused in a member name."""
    for name in (f"a{char}b.py", f"dir{char}/x.py", f"{char}x"):
        with pytest.raises(ArchiveError) as info:
            check_member_path(name)
        assert info.value.code == "invalid-name"


def test_ordinary_non_ascii_names_are_accepted() -> None:
    for name in ("résumé.md", "日本語/ファイル.py", "a\u0300.txt", "emoji-\U0001f600.md"):
        assert check_member_path(name) == name
