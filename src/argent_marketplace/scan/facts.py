"""What a scan learns about one file, and the form the shared scan cache keeps it in.

A file's facts are its findings, the capabilities it uses and what the package-level
rules (:mod:`.package_rules`) correlate across files: credential stores read, the
environment handed on, own-module results and secret-named variables sent, platform
credentials read, the variable names its documents declare. A record read back from the
shared cache decides a verdict without the file being read, so every field is checked.
"""

from __future__ import annotations

import json
from dataclasses import astuple, dataclass, field

from argent_marketplace.scan.findings import CAPABILITIES, SEVERITIES, CapabilityUse, Finding

__all__ = ["MAX_RECORD_CHARS", "Facts", "is_scan_record"]

MAX_RECORD_CHARS = 64 * 1024
"""A record longer than this is not offered to the shared cache."""


@dataclass
class Facts:
    """What one file contributed to a scan (or, added up, the whole package)."""

    findings: list[Finding] = field(default_factory=list)
    uses: list[CapabilityUse] = field(default_factory=list)
    credential_reads: list[tuple[str, int, str, bool]] = field(default_factory=list)
    env_escapes: list[tuple[str, int]] = field(default_factory=list)
    shell_network: bool = False
    sent_results: list[tuple[str, int, str, str]] = field(default_factory=list)
    env_returns: list[tuple[str, str]] = field(default_factory=list)
    secret_exports: list[tuple[str, str, str]] = field(default_factory=list)
    platform_reads: list[tuple[str, int, str]] = field(default_factory=list)
    declared: list[str] = field(default_factory=list)  # variable names the docs mention

    def to_json(self) -> str:
        """The shared scan cache's form of what one file contributed."""
        return json.dumps(
            {
                "findings": [astuple(f) for f in self.findings],
                "uses": [astuple(u) for u in self.uses],
                "credential_reads": self.credential_reads,
                "env_escapes": self.env_escapes,
                "shell_network": self.shell_network,
                "sent_results": self.sent_results,
                "env_returns": self.env_returns,
                "secret_exports": self.secret_exports,
                "platform_reads": self.platform_reads,
                "declared": self.declared,
            },
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str, path: str) -> Facts:
        """The inverse of :meth:`to_json`, for file ``path``, every field checked.

        A record decides a verdict without the file being read, so one of another shape
        (an unknown severity would count as ``info``) or about another file is refused.

        Raises:
            ValueError: ``text`` is not such a record (the caller analyses the file).
        """
        try:
            data = json.loads(text)
            facts = cls(
                [Finding(*f) for f in data["findings"]],
                [CapabilityUse(*u) for u in data["uses"]],
                [(p, n, w, x) for p, n, w, x in data["credential_reads"]],
                [(p, n) for p, n in data["env_escapes"]],
                data["shell_network"],
                [(p, n, r, e) for p, n, r, e in data["sent_results"]],
                [(p, f) for p, f in data["env_returns"]],
                [(p, n, v) for p, n, v in data["secret_exports"]],
                [(p, n, w) for p, n, w in data["platform_reads"]],
                list(data["declared"]),
            )
        except (TypeError, KeyError, ValueError, AttributeError, RecursionError) as exc:
            raise ValueError(f"not a scan cache record: {type(exc).__name__}") from exc
        if not (
            all(_is_finding_of(f, path) for f in facts.findings)
            and all(_is_use_of(u, path) for u in facts.uses)
            and all(
                p == path and type(n) is int and isinstance(w, str) and type(x) is bool
                for p, n, w, x in facts.credential_reads
            )
            and all(p == path and type(n) is int for p, n in facts.env_escapes)
            and type(facts.shell_network) is bool
            and all(
                p == path and type(n) is int and isinstance(r, str) and isinstance(e, str)
                for p, n, r, e in facts.sent_results
            )
            and all(p == path and isinstance(f, str) for p, f in facts.env_returns)
            and all(
                p == path and isinstance(n, str) and isinstance(v, str)
                for p, n, v in facts.secret_exports
            )
            and all(
                p == path and type(n) is int and isinstance(w, str)
                for p, n, w in facts.platform_reads
            )
            and all(isinstance(name, str) for name in facts.declared)
        ):
            raise ValueError("not a scan cache record of this file")
        return facts

    def add(self, other: Facts) -> None:
        """Take in what one file contributed (``other`` is left as it is: it may be cached)."""
        self.findings += other.findings
        self.uses += other.uses
        self.credential_reads += other.credential_reads
        self.env_escapes += other.env_escapes
        self.shell_network = self.shell_network or other.shell_network
        self.sent_results += other.sent_results
        self.env_returns += other.env_returns
        self.secret_exports += other.secret_exports
        self.platform_reads += other.platform_reads
        self.declared += other.declared


def _is_finding_of(finding: Finding, path: str) -> bool:
    return (
        finding.file == path
        and finding.severity in SEVERITIES
        and type(finding.line) is int
        and all(isinstance(v, str) for v in (finding.rule, finding.message, finding.evidence))
    )


def _is_use_of(use: CapabilityUse, path: str) -> bool:
    return (
        use.file == path
        and type(use.line) is int
        and use.capability in CAPABILITIES
        and isinstance(use.evidence, str)
    )


def is_scan_record(text: str, path: str) -> bool:
    """Whether ``text`` is what a scan learned about file ``path`` (checked before keeping it)."""
    try:
        Facts.from_json(text, path)
    except ValueError:
        return False
    return len(text) <= MAX_RECORD_CHARS
