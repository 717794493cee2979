"""SHA256SUMS: one strict format, variants refused identically everywhere (SECURITY A17)."""

from __future__ import annotations

import pytest

from argent_marketplace.package.checksums import format_sums, parse_sums
from argent_marketplace.package.errors import IntegrityError

H = "ab" * 32


def test_round_trip_sorted() -> None:
    data = format_sums([("b.py", H), ("a/c.py", H)])
    assert data == f"{H}  a/c.py\n{H}  b.py\n".encode()
    assert parse_sums(data) == {"a/c.py": H, "b.py": H}


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (f"{H}  a\n{H}  a\n", "listed twice"),
        (f"{H}  ../a\n", "'..'"),
        (f"{H}  ./a\n", "canonical"),
        (f"{H}  /a\n", "absolute"),
        (f"{H.upper()}  a\n", "lowercase"),
        (f"{H[:-2]}  a\n", "62 hex digits"),
        (f"{H}  a\r\n", "CRLF"),
        (f"\ufeff{H}  a\n", "byte-order mark"),
        (f"{H} *a\n", "binary marker"),
        (f"{H} a\n", "two spaces"),
        ("xyz  a\n", "not '<sha256 hex>  <path>'"),
        (f"{H}   a\n", "starting with a space"),
        (f"{H}  a", "no newline"),
        (f"{H}  a\n\n", "is empty"),
        ("", "empty"),
        (f"\\{H}  a\\nb\n", "escaped"),
        (f"{H}  SHA256SUMS\n", "must not list itself"),
        (f"{H}  SIGNATURE\n", "must not list"),
    ],
)
def test_variants_are_refused(data: str, why: str) -> None:
    with pytest.raises(IntegrityError) as info:
        parse_sums(data.encode())
    assert info.value.code == "malformed-checksums"
    assert why in info.value.message


def test_lines_must_be_sorted_by_both_parsers() -> None:
    """L6: order is enforced; the fast path (known names) and the full parser agree."""
    data = f"{H}  b.py\n{H}  a.py\n".encode()
    for known in ((), {"a.py", "b.py"}):
        with pytest.raises(IntegrityError) as info:
            parse_sums(data, known=known)
        assert info.value.code == "malformed-checksums"
        assert "line 2" in info.value.message and "sorted" in info.value.message
    # code point order, which is UTF-8 byte order (LC_ALL=C sort): 'B' < 'a' < 'é'
    ordered = f"{H}  B.py\n{H}  a.py\n{H}  \u00e9.py\n".encode()
    for known in ((), {"B.py", "a.py", "\u00e9.py"}):
        assert list(parse_sums(ordered, known=known)) == ["B.py", "a.py", "\u00e9.py"]
