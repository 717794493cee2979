"""Semantic-version precedence (semver.org, section 11) for choosing ``latest``."""

from __future__ import annotations

from argent_marketplace.package.manifest import SEMVER_RE

__all__ = ["is_prerelease", "precedence"]

_Key = tuple[int, int, int, int, tuple[tuple[int, int | str], ...]]


def precedence(version: str) -> _Key:
    """A sort key: releases above their prereleases, numeric identifiers below alphanumeric.

    Raises:
        ValueError: ``version`` is not a semantic version.
    """
    match = SEMVER_RE.fullmatch(version)
    if match is None:
        raise ValueError(f"not a semantic version: {version!r}")
    major, minor, patch, pre = int(match[1]), int(match[2]), int(match[3]), match[4]
    if pre is None:
        return (major, minor, patch, 1, ())
    ids = tuple((0, int(p)) if p.isdigit() else (1, p) for p in pre.split("."))
    return (major, minor, patch, 0, ids)


def is_prerelease(version: str) -> bool:
    """Whether ``version`` has a ``-prerelease`` part."""
    return precedence(version)[3] == 0
