"""The verdict and what an operator may configure about it.

The verdict is fixed and documented (docs/scanner.md): any ``critical`` or
``high`` finding -> ``flagged``; any ``medium`` -> ``pending_review``; otherwise
``published``. What is configurable is the input to it: the severity of any rule,
which bundled binaries are acceptable, and the bounds that keep a hostile package
from stalling the scanner. A policy is a TOML file::

    time_budget_seconds = 10
    allowed_binaries = ["agent-harness/vendor/*.so"]   # also needs the 'native' permission

    [severity]
    suspicious-destination = "medium"
    unused-permission = "info"
"""

from __future__ import annotations

import os
import time
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from argent_marketplace.scan.errors import BudgetExceeded, PolicyError
from argent_marketplace.scan.findings import SEVERITIES, Finding, at_least

__all__ = [
    "DEFAULT_POLICY",
    "POLICY_ENV",
    "Deadline",
    "Policy",
    "load_policy",
    "policy_from_env",
    "verdict",
]

POLICY_ENV = "ARGENT_MARKETPLACE_SCAN_POLICY"
"""Environment variable naming a policy TOML file for the server."""

_MiB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Policy:
    """Severity overrides, allowances and bounds.

    Attributes:
        severity: Rule -> severity, applied to every finding of that rule.
        allowed_binaries: Glob patterns (package paths) of bundled binaries that are
            acceptable when the manifest declares ``native``.
        time_budget_seconds: Wall-clock budget of one package's scan; past it the
            scan stops and fails closed with a ``scan-budget-exceeded`` finding.
        max_python_bytes: Larger ``.py`` files are not parsed (``not-scanned``).
        max_line_length: A longer line in a ``.py`` file is packed or minified code.
        opaque_blob_bytes: Unrecognised binary files from this size need review.
        max_text_bytes: Text rules read at most this much of one file.
    """

    severity: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    allowed_binaries: tuple[str, ...] = ()
    time_budget_seconds: float = 10.0
    max_python_bytes: int = 2 * _MiB
    max_line_length: int = 10_000
    opaque_blob_bytes: int = 256 * 1024
    max_text_bytes: int = 4 * _MiB

    def apply(self, findings: Iterable[Finding]) -> list[Finding]:
        """``findings`` with the configured severity overrides."""
        return [
            f.with_severity(self.severity[f.rule]) if f.rule in self.severity else f
            for f in findings
        ]


DEFAULT_POLICY = Policy()


def verdict(findings: Iterable[Finding]) -> str:
    """``flagged`` on any high/critical, ``pending_review`` on any medium, else ``published``."""
    severities = [f.severity for f in findings]
    if any(at_least(s, "high") for s in severities):
        return "flagged"
    if any(at_least(s, "medium") for s in severities):
        return "pending_review"
    return "published"


class Deadline:
    """The per-package time budget (D7): checked between files and while walking code.

    It counts the CPU time of the scanning thread, not the clock: on a busy server (a
    niced scan worker behind a burst of readers) a clean package must not run out of
    budget and be held for review. The server's hard limit on a scan is wall time.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._end = time.thread_time() + seconds

    def check(self) -> None:
        """Raises:
        BudgetExceeded: The budget is spent.
        """
        if time.thread_time() > self._end:
            raise BudgetExceeded(
                f"the scan took longer than its {self.seconds:g} s budget of CPU time"
            )


def _number(doc: Mapping[str, Any], key: str, default: float) -> float:
    value = doc.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise PolicyError(f"scan policy: {key} must be a positive number", hint=f"e.g. {default}")
    return value


def _severities(doc: Mapping[str, Any]) -> dict[str, str]:
    table = doc.get("severity", {})
    if not isinstance(table, dict):
        raise PolicyError("scan policy: [severity] must be a table of rule = severity")
    for rule, severity in table.items():
        if severity not in SEVERITIES:
            raise PolicyError(
                f"scan policy: severity of {rule!r} is {severity!r}",
                hint=f"use one of: {', '.join(SEVERITIES)}",
            )
    return dict(table)


def load_policy(path: Path) -> Policy:
    """Read a policy TOML file (format in the module docstring).

    Raises:
        PolicyError: The file cannot be read or holds an unknown key or value.
    """
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise PolicyError(f"cannot read scan policy {path}: {exc}") from exc
    known = {"severity", "allowed_binaries", *Policy.__dataclass_fields__}
    unknown = sorted(set(doc) - known)
    if unknown:
        raise PolicyError(f"scan policy {path}: unknown key {unknown[0]!r}")
    binaries = doc.get("allowed_binaries", [])
    if not isinstance(binaries, list) or not all(isinstance(b, str) for b in binaries):
        raise PolicyError("scan policy: allowed_binaries must be a list of glob patterns")
    d = DEFAULT_POLICY
    return Policy(
        severity=MappingProxyType(_severities(doc)),
        allowed_binaries=tuple(binaries),
        time_budget_seconds=_number(doc, "time_budget_seconds", d.time_budget_seconds),
        max_python_bytes=int(_number(doc, "max_python_bytes", d.max_python_bytes)),
        max_line_length=int(_number(doc, "max_line_length", d.max_line_length)),
        opaque_blob_bytes=int(_number(doc, "opaque_blob_bytes", d.opaque_blob_bytes)),
        max_text_bytes=int(_number(doc, "max_text_bytes", d.max_text_bytes)),
    )


def policy_from_env() -> Policy:
    """The policy named by ``ARGENT_MARKETPLACE_SCAN_POLICY``, else the default.

    Raises:
        PolicyError: The named file is unusable (the server refuses to start).
    """
    path = os.environ.get(POLICY_ENV)
    return load_policy(Path(path)) if path else DEFAULT_POLICY
