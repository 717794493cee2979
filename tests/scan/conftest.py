"""Helpers for scanner tests: the example connector as files, plus the scanner itself."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from argent_marketplace.scan import PackageScanner, ScanContext, ScanReport
from tests.conftest import EXAMPLE
from tests.server.conftest import market  # noqa: F401 - the real server, for publish tests

ScanFn = Callable[..., ScanReport]


def example_files() -> dict[str, bytes]:
    """The README's example connector, path -> bytes, as a package holds it."""
    return {
        p.relative_to(EXAMPLE).as_posix(): p.read_bytes()
        for p in sorted(EXAMPLE.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def scan() -> ScanFn:
    """Scan the example connector with extra or replaced files.

    ``scan({"agent-harness/x.py": "..."}, permissions=("network",), existing=(...))``
    """

    def run(
        extra: dict[str, str | bytes] | None = None,
        *,
        permissions: tuple[str, ...] = ("network",),
        existing: tuple[str, ...] = (),
        scanner: PackageScanner | None = None,
        drop: tuple[str, ...] = (),
    ) -> ScanReport:
        files = example_files()
        for path in drop:
            files.pop(path, None)
        for path, data in (extra or {}).items():
            files[path] = data.encode() if isinstance(data, str) else data
        context = ScanContext(existing_names=existing)
        return (scanner or PackageScanner()).report(files, permissions, context)

    return run


def rules(report: ScanReport, at_least: str = "low") -> set[str]:
    """The rules of a report's findings at ``at_least`` or worse."""
    order = ("info", "low", "medium", "high", "critical")
    return {f.rule for f in report.findings if order.index(f.severity) >= order.index(at_least)}


def write_tree(root: Path, files: dict[str, bytes]) -> Path:
    """Files on disk under ``root``."""
    for rel, data in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    return root
