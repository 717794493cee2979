"""Scanners for scan worker processes that fail on purpose (fault injection).

Each is the real scanner, except when the package holds a file named after the fault:
then the worker kills itself (a crash such as a segfault in the parser), hangs (past
the hard time limit), computes for seconds holding its GIL, or raises. The content of
the HANG and SPIN files is a path the worker creates once it has started (so tests
need not guess when). Imported by the worker process, by name.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Mapping
from pathlib import Path

from argent_marketplace.scan.findings import Finding
from argent_marketplace.scan.scanner import PackageScanner, ScanContext

CRASH = "agent-harness/crash_the_scanner.py"
HANG = "agent-harness/hang_the_scanner.py"
RAISE = "agent-harness/raise_in_the_scanner.py"
SPIN = "agent-harness/spin_the_scanner.py"
SPIN_SECONDS = 3.0


def _started(marker: bytes) -> None:
    if marker.startswith(b"/"):  # an absolute path: anything else is just a file
        Path(marker.decode().strip()).touch()


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
            _started(files[HANG])
            time.sleep(3600)
        if SPIN in files:
            _started(files[SPIN])
            end = time.monotonic() + SPIN_SECONDS
            while time.monotonic() < end:  # pure Python: holds this process's GIL
                sum(range(1000))
        if RAISE in files:
            raise MemoryError("injected")
        return super().scan(files, permissions, context)


def faulty() -> FaultyScanner:
    """The factory a ProcessScanner names: ``tests.server.scan_faults:faulty``."""
    return FaultyScanner()


def broken_start() -> FaultyScanner:
    """A factory that cannot build its scanner (a bad policy file, say)."""
    raise RuntimeError("injected: no scanner")
