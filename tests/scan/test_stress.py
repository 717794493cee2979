"""D7: hostile inputs finish within budget or fail closed (never published unscanned)."""

from __future__ import annotations

import time

import pytest

from argent_marketplace.scan import PackageScanner, Policy
from tests.scan.conftest import ScanFn

PATH = "agent-harness/cli_aos/airtable/big.py"


def test_ten_megabyte_line_is_fast_and_flagged(scan: ScanFn) -> None:
    code = "P = '" + "QUJD" * (10 * 1024 * 1024 // 4) + "'\n"
    started = time.perf_counter()
    report = scan({PATH: code})
    assert time.perf_counter() - started < 5
    assert report.status == "flagged"
    assert {f.rule for f in report.findings} >= {"obfuscation", "not-scanned"}


@pytest.mark.parametrize(
    "code",
    [
        "x = " + "+".join(["1"] * 100_000) + "\n",
        "x = " + "(" * 300 + "1" + ")" * 300 + "\n",
        "x = " + "-" * 100_000 + "1\n",
    ],
)
def test_deep_nesting_fails_closed(scan: ScanFn, code: str) -> None:
    report = scan({PATH: code})
    assert "scanner-evasion" in {f.rule for f in report.findings}
    assert report.status == "flagged"


def test_expressions_deeper_than_the_evaluator_are_evasion(scan: ScanFn) -> None:
    code = "import os\ndef f():\n    os.system(" + "str(" * 150 + "'x'" + ")" * 150 + ")\n"
    report = scan({PATH: code})
    assert "scanner-evasion" in {f.rule for f in report.findings}


def test_syntax_errors_wait_for_review(scan: ScanFn) -> None:
    report = scan({PATH: "def broken(:\n    pass\n"})
    assert [(f.rule, f.severity, f.line) for f in report.findings] == [
        ("unparsable-python", "medium", 1)
    ]
    assert report.status == "pending_review"


def test_non_utf8_python_is_flagged(scan: ScanFn) -> None:
    report = scan({PATH: "X = '\xe9t\xe9'\n".encode("latin-1")})
    assert ("non-utf8-source", "high") in {(f.rule, f.severity) for f in report.findings}


def test_time_budget_fails_closed(scan: ScanFn) -> None:
    tiny = PackageScanner(Policy(time_budget_seconds=1e-9))
    report = scan(scanner=tiny)
    assert [f.rule for f in report.findings if f.severity == "medium"] == ["scan-budget-exceeded"]
    assert report.status == "pending_review"


def test_a_crashing_rule_fails_closed(scan: ScanFn, monkeypatch: pytest.MonkeyPatch) -> None:
    import argent_marketplace.scan.scanner as scanner_module

    def boom(*args: object, **kwargs: object) -> None:
        raise ValueError("bug")

    monkeypatch.setattr(scanner_module, "analyse_python", boom)
    report = scan()
    assert {f.rule for f in report.findings if f.severity != "info"} == {"scan-error"}
    assert report.status == "pending_review"


def test_oversized_python_is_not_parsed_but_reviewed(scan: ScanFn) -> None:
    small = PackageScanner(Policy(max_python_bytes=1000))
    report = scan({PATH: "X = 1\n" * 500}, scanner=small)
    assert ("not-scanned", "medium") in {(f.rule, f.severity) for f in report.findings}


@pytest.mark.parametrize("kind", ["tables", "lists"])
def test_loops_over_loops_do_not_multiply_alternatives(scan: ScanFn, kind: str) -> None:
    """Each loop level over a 32-entry table built from the previous level's variable used to
    multiply the folded alternatives by 32: 2.5 KB of source took 20 s and 2.7 GB. Past 32
    alternatives or 4 KB the value is simply unknown."""
    width, levels = 32, 6
    lines = ["import requests", "def main():"]
    indent = "    "
    first = (
        "{" + ", ".join(f'"k{i}": "v{i}"' for i in range(width)) + "}"
        if kind == "tables"
        else "[" + ", ".join(f'"v{i}"' for i in range(width)) + "]"
    )
    lines.append(f"{indent}T0 = {first}")
    for level in range(levels):
        loop = (
            f"k{level}, v{level} in T{level}.items()"
            if kind == "tables"
            else f"v{level} in T{level}"
        )
        lines.append(f"{indent}for {loop}:")
        indent += "    "
        nxt = (
            "{" + ", ".join(f'"k{i}": v{level}' for i in range(width)) + "}"
            if kind == "tables"
            else "[" + ", ".join(f"v{level} + 'x{i}'" for i in range(width)) + "]"
        )
        lines.append(f"{indent}T{level + 1} = {nxt}")
    lines.append(f"{indent}requests.get('https://x.example.net/' + v{levels - 1})")
    report = scan({PATH: "\n".join(lines) + "\n"})
    assert report.status == "published", report.findings
