"""Scanners for scan worker processes that fail on purpose (fault injection).

Each is the real scanner, except when the package holds a file named after the fault:
then the worker kills itself (a crash such as a segfault in the parser), hangs (past
the hard time limit) or raises. Imported by the worker process, by name.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Mapping

from argent_marketplace.scan.findings import Finding
from argent_marketplace.scan.scanner import PackageScanner, ScanContext

CRASH = "agent-harness/crash_the_scanner.py"
HANG = "agent-harness/hang_the_scanner.py"
RAISE = "agent-harness/raise_in_the_scanner.py"


class FaultyScanner(PackageScanner):
    """The server's scanner, with three ways to fail."""

    def scan(
        self,
        files: Mapping[str, bytes],
        permissions: tuple[str, ...],
        context: ScanContext | None = None,
    ) -> list[Finding]:
        if CRASH in files:
            os.kill(os.getpid(), signal.SIGKILL)
        if HANG in files:
            time.sleep(3600)
        if RAISE in files:
            raise MemoryError("injected")
        return super().scan(files, permissions, context)


def faulty() -> FaultyScanner:
    """The factory a ProcessScanner names: ``tests.server.scan_faults:faulty``."""
    return FaultyScanner()


def broken_start() -> FaultyScanner:
    """A factory that cannot build its scanner (a bad policy file, say)."""
    raise RuntimeError("injected: no scanner")
