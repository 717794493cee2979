"""The member-name rules: the fast path and the full check always agree."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from argent_marketplace.package.errors import ArchiveError
from argent_marketplace.package.limits import DEFAULT_LIMITS, Limits
from argent_marketplace.package.names import (
    _check_member_path_fully,
    check_member_path,
    collision_key,
)

ALPHABET = "aZ09_-.+@=,/ \\:*é\u00dfK\u212a\x01\x9bCONulcom1LPT"


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
