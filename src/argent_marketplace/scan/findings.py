"""What the scanner reports: findings, severities and inferred capabilities."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from typing import Any

__all__ = [
    "CAPABILITIES",
    "SEVERITIES",
    "CapabilityUse",
    "Finding",
    "at_least",
    "evidence_of",
    "sort_findings",
]

SEVERITIES = ("info", "low", "medium", "high", "critical")
_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}
CAPABILITIES = ("network", "subprocess", "filesystem", "native")
"""Capabilities the audit infers; the same words as the manifest's ``permissions``."""

_EVIDENCE_CHARS = 160


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing the scanner saw, pointing at a file and line (0: the whole file)."""

    rule: str
    severity: str
    file: str
    line: int
    message: str
    evidence: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON form, as stored per version and returned by publish."""
        return asdict(self)

    def with_severity(self, severity: str) -> Finding:
        """The same finding at another severity (policy overrides)."""
        return replace(self, severity=severity)


@dataclass(frozen=True, slots=True)
class CapabilityUse:
    """Where a capability is first used in one file."""

    capability: str
    file: str
    line: int
    evidence: str


def at_least(severity: str, floor: str) -> bool:
    """Whether ``severity`` is ``floor`` or worse (unknown words count as ``info``)."""
    return _RANK.get(severity, 0) >= _RANK[floor]


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Worst first, then by file and line; one finding per rule, file, line and message."""
    best: dict[tuple[str, str, int, str], Finding] = {}
    for f in findings:
        key = (f.rule, f.file, f.line, f.message)
        if key not in best or _RANK.get(f.severity, 0) > _RANK.get(best[key].severity, 0):
            best[key] = f
    return sorted(
        best.values(), key=lambda f: (-_RANK.get(f.severity, 0), f.file, f.line, f.rule, f.message)
    )


def evidence_of(text: str) -> str:
    """A short, single-line excerpt: evidence must never carry a whole payload."""
    one = " ".join(text.split())
    return one if len(one) <= _EVIDENCE_CHARS else one[: _EVIDENCE_CHARS - 1] + "…"
