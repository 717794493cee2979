"""The corpus targets: benign <= 3% flagged and <= 10% pending; malicious >= 95% flagged, none published.

The same numbers are printed by benchmarks/bench_scan.py and recorded in docs/benchmarks.md.
"""

from __future__ import annotations

from collections import Counter

import pytest

from argent_marketplace.scan import PackageScanner
from tests.scan.corpus import Sample, benign_samples, malicious_samples, scan_sample

SCANNER = PackageScanner()
BENIGN = benign_samples()
MALICIOUS = malicious_samples()


def _statuses(samples: list[Sample]) -> Counter[str]:
    return Counter(scan_sample(s, SCANNER).status for s in samples)


def test_corpus_is_big_enough() -> None:
    assert len(BENIGN) >= 60
    assert len(MALICIOUS) >= 40
    assert len({s.name for s in BENIGN + MALICIOUS}) == len(BENIGN) + len(MALICIOUS)


def test_benign_connectors_publish() -> None:
    statuses = _statuses(BENIGN)
    assert statuses["flagged"] <= 0.03 * len(BENIGN), statuses
    assert statuses["pending_review"] <= 0.10 * len(BENIGN), statuses


def test_malicious_samples_are_flagged() -> None:
    statuses = _statuses(MALICIOUS)
    assert statuses["published"] == 0, statuses
    assert statuses["flagged"] >= 0.95 * len(MALICIOUS), statuses


@pytest.mark.parametrize("sample", MALICIOUS, ids=lambda s: s.name)
def test_each_sample_is_caught_by_its_rule_family(sample: Sample) -> None:
    report = scan_sample(sample, SCANNER)
    found = {f.rule for f in report.findings if f.severity in ("high", "critical")}
    assert set(sample.expect) <= {f.rule for f in report.findings}, report.findings
    assert found, report.findings
    for finding in report.findings:
        assert finding.file in sample.files or finding.file == "argent.plugin.json"


def test_every_rule_family_is_in_the_corpus() -> None:
    expected = {rule for s in MALICIOUS for rule in s.expect}
    families = {
        "dynamic-code", "obfuscation", "download-and-execute", "reverse-shell",
        "credential-harvesting", "exfiltration", "persistence", "install-time-code",
        "import-time-side-effect", "shell-injection", "native-code", "hardcoded-secret",
        "suspicious-destination", "prompt-injection", "typosquatting", "trojan-source",
        "invisible-character", "non-utf8-source", "startup-hook-or-shadowing",
        "bundled-binary", "scanner-evasion", "runtime-install",
    }  # fmt: skip
    assert families <= expected
