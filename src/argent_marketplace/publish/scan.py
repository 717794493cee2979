"""Step 4 of the pipeline: the scanner interface and the verdict.

The pipeline depends only on :class:`Scanner` and :func:`verdict`; the server
chooses the implementation (:class:`argent_marketplace.scan.PackageScanner`,
every rule family of docs/scanner.md). Python is parsed with ``ast`` and never
imported or executed.

Verdict (documented in docs/scanner.md, severities configurable by policy): any
``critical`` or ``high`` finding -> ``flagged``; any ``medium`` ->
``pending_review``; otherwise ``published``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Protocol

from argent_marketplace.scan.findings import SEVERITIES, Finding
from argent_marketplace.scan.policy import verdict as _verdict
from argent_marketplace.scan.scanner import PackageScanner, ScanContext

__all__ = ["SEVERITIES", "Finding", "PackageScanner", "ScanContext", "Scanner", "verdict"]


class Scanner(Protocol):
    """Looks at a package's files and its declared permissions."""

    def scan(
        self,
        files: Mapping[str, bytes],
        permissions: tuple[str, ...],
        context: ScanContext | None = None,
    ) -> list[Finding]:
        """Findings for ``files`` (path -> content) given the declared ``permissions``.

        ``context`` carries what the files do not: the names of other authors'
        packages (typosquatting), files left out over the read budget, real sizes.
        """


def verdict(findings: Iterable[Finding]) -> str:
    """``flagged`` on any high/critical, ``pending_review`` on any medium, else ``published``."""
    return _verdict(findings)
