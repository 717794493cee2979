"""Typosquatting: names that imitate another author's package."""

from __future__ import annotations

import pytest

from argent_marketplace.scan.names import (
    base_name,
    near_popular_dependency,
    one_edit_apart,
    one_edit_variants,
    typosquat_of,
)
from tests.scan.conftest import ScanFn

EXISTING = (
    "aos-airtable", "aos-github", "aos-slack", "aos-notion", "aos-stripe", "aos-mail",
    "aos-python-foo", "aos-py-tools",
)  # fmt: skip


@pytest.mark.parametrize(
    ("name", "imitated", "severity"),
    [
        ("aos-airtabel", "aos-airtable", "high"),  # transposition
        ("aos-airtble", "aos-airtable", "high"),  # omission
        ("aos-airrtable", "aos-airtable", "high"),  # duplication
        ("aos-air-table", "aos-airtable", "high"),  # hyphenation
        ("aos-githuh", "aos-github", "high"),  # substitution
        ("aos-s1ack", "aos-slack", "high"),  # confusable 1 / l
        ("aos-n0tion", "aos-notion", "high"),  # confusable 0 / o
        ("aos-strlpe", "aos-stripe", "high"),  # confusable l / i
        ("aos-rnail", "aos-mail", "high"),  # confusable rn / m
        ("aos-py-foo", "aos-python-foo", "high"),  # shortened word (SECURITY-CASES C2)
        ("aos-pyfoo", "aos-python-foo", "high"),
        ("aos-python-tools", "aos-py-tools", "high"),
        ("aos-pyth0n-foo", "aos-python-foo", "high"),  # look-alikes still count
        ("aos-pyt-hon-foo", "aos-python-foo", "high"),
        ("aos-slack-official", "aos-slack", "high"),  # a word claiming authority
        ("aos-official-github", "aos-github", "high"),
        ("aos-verified-s1ack", "aos-slack", "high"),
        ("aos-github-com", "aos-github", "high"),  # the vendor's domain
    ],
)
def test_imitations_are_caught(name: str, imitated: str, severity: str) -> None:
    hit = typosquat_of(name, EXISTING)
    assert hit is not None and hit[0] == imitated and hit[2] == severity


@pytest.mark.parametrize(
    "name",
    [
        "aos-airtable",
        "aos-jira",
        "aos-gitlab",
        "aos-notify",
        "aos-slack-webhook",
        "aos-official-docs",  # the trust word alone, with a name nobody has
        "aos-secure-notes",
    ],
)
def test_distinct_names_pass(name: str) -> None:
    assert typosquat_of(name, EXISTING) is None


def test_short_names_need_review_not_block() -> None:
    assert typosquat_of("aos-jora", ("aos-jira",)) == (
        "aos-jira",
        "is one typo away from",
        "medium",
    )


def test_edit_distance() -> None:
    assert one_edit_apart("abcd", "abdc") and one_edit_apart("abc", "abxc")
    assert not one_edit_apart("abc", "abc") and not one_edit_apart("abcd", "badc")


def test_popular_dependencies() -> None:
    assert near_popular_dependency("reqeusts>=2") == "requests"
    assert near_popular_dependency("requests>=2") is None
    assert near_popular_dependency("click") is None


def test_the_scan_names_the_manifest_line(scan: ScanFn) -> None:
    report = scan(existing=("aos-airtabel",))
    hits = [f for f in report.findings if f.rule == "typosquatting"]
    assert hits and hits[0].file == "argent.plugin.json" and hits[0].line == 2


def test_one_edit_variants_are_exactly_the_names_one_edit_away() -> None:
    base = "jira"
    variants = one_edit_variants(base)
    assert base not in variants
    assert {"jra", "ijra", "jirra", "jora", "jiras", "ajira", "jiar"} <= variants
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
    nearby = {a + b + c for a in alphabet for b in "ijr" for c in "ar"} | {"jr", "ia", "jir", "ira"}
    for other in nearby:
        assert (other in variants) == one_edit_apart(base, other), other


def test_base_name_drops_prefix_case_and_separators() -> None:
    assert base_name("aos-Air-Table") == "airtable"


def test_a_product_named_with_io_is_not_a_claim() -> None:
    """socket.io, fly.io: "io" is part of many product names, unlike "official" or "com"."""
    assert typosquat_of("aos-socket-io", ("aos-socket",)) is None
