"""The verdict and its configuration."""

from __future__ import annotations

from pathlib import Path

import pytest

from argent_marketplace.publish.scan import verdict as pipeline_verdict
from argent_marketplace.scan import Finding, PackageScanner, Policy, load_policy, verdict
from argent_marketplace.scan.errors import PolicyError
from argent_marketplace.scan.policy import POLICY_ENV, policy_from_env
from tests.scan.conftest import ScanFn


def _f(severity: str) -> Finding:
    return Finding("r", severity, "f", 1, "m")


@pytest.mark.parametrize(
    ("severities", "status"),
    [
        ([], "published"),
        (["info", "low"], "published"),
        (["low", "medium"], "pending_review"),
        (["medium", "high"], "flagged"),
        (["critical"], "flagged"),
    ],
)
def test_verdict(severities: list[str], status: str) -> None:
    findings = [_f(s) for s in severities]
    assert verdict(findings) == status == pipeline_verdict(findings)


def test_severity_overrides(scan: ScanFn) -> None:
    code = {"agent-harness/cli_aos/airtable/x.py": "URL = 'https://pastebin.com/raw/x'\n"}
    assert scan(code).status == "flagged"
    relaxed = PackageScanner(Policy(severity={"suspicious-destination": "low"}))
    assert scan(code, scanner=relaxed).status == "published"


def test_policy_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "policy.toml"
    path.write_text(
        'time_budget_seconds = 3\nallowed_binaries = ["vendor/*.so"]\n\n'
        '[severity]\nunused-permission = "low"\n'
    )
    policy = load_policy(path)
    assert policy.time_budget_seconds == 3
    assert policy.allowed_binaries == ("vendor/*.so",)
    assert dict(policy.severity) == {"unused-permission": "low"}
    monkeypatch.setenv(POLICY_ENV, str(path))
    assert policy_from_env() == policy


@pytest.mark.parametrize(
    "text",
    ['[severity]\nx = "severe"\n', "time_budget_seconds = -1\n", "colour = 1\n", "not toml ["],
)
def test_bad_policy_files_are_refused(tmp_path: Path, text: str) -> None:
    path = tmp_path / "policy.toml"
    path.write_text(text)
    with pytest.raises(PolicyError) as info:
        load_policy(path)
    assert info.value.code == "invalid-scan-policy"
