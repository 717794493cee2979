"""D5 and D6: startup hooks, standard-library shadowing, bundled binaries, opaque blobs."""

from __future__ import annotations

import os

import pytest

from argent_marketplace.scan import PackageScanner, Policy
from tests.scan.conftest import ScanFn, rules


@pytest.mark.parametrize(
    "path",
    [
        "agent-harness/aos_speedup.pth",
        "agent-harness/sitecustomize.py",
        "agent-harness/cli_aos/airtable/usercustomize.py",
        "agent-harness/json.py",
        "agent-harness/ssl.py",
        "json.py",
        "agent-harness/tests/socket.py",
        "agent-harness/logging/__init__.py",
    ],
)
def test_startup_hooks_and_shadowing_are_flagged(scan: ScanFn, path: str) -> None:
    report = scan({path: "X = 1\n"})
    hits = [f for f in report.findings if f.rule == "startup-hook-or-shadowing"]
    assert hits and hits[0].file == path and hits[0].severity == "high"
    assert report.status == "flagged"


@pytest.mark.parametrize(
    "path",
    [
        "agent-harness/cli_aos/airtable/types.py",
        "agent-harness/cli_aos/airtable/json_utils.py",
        "agent-harness/cli_aos/airtable/calendar/__init__.py",
        "agent-harness/tests/test_json.py",
        "agent-harness/scripts/test.py",
    ],
)
def test_modules_inside_packages_do_not_shadow(scan: ScanFn, path: str) -> None:
    assert "startup-hook-or-shadowing" not in rules(scan({path: "X = 1\n"}))


ELF = b"\x7fELF\x02\x01\x01\x00" + bytes(200)


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("agent-harness/cli_aos/airtable/_x.so", ELF),
        ("agent-harness/cli_aos/airtable/assets/logo.png", ELF),
        (
            "agent-harness/cli_aos/airtable/core.pyc",
            (3495).to_bytes(2, "little") + b"\r\n" + bytes(30),
        ),
        ("agent-harness/tool.exe", b"MZ\x90\x00" + bytes(100)),
        ("agent-harness/vendor/lib.whl", b"PK\x03\x04" + bytes(100)),
    ],
)
def test_bundled_binaries_are_flagged(scan: ScanFn, path: str, data: bytes) -> None:
    report = scan({path: data})
    assert ("bundled-binary", "high") in {(f.rule, f.severity) for f in report.findings}


def test_an_executable_with_text_only_in_its_first_page_is_still_one(scan: ScanFn) -> None:
    """A DOS stub of ASCII and a PE header 16 MB in (no NUL in the first 4 KB): the
    header offset at 60 gives it away, whatever the file is called."""
    stub = bytearray(b"MZ" + b"This program cannot be run in DOS mode. " * 110)[:4096]
    stub[60:64] = (0x01010101).to_bytes(4, "little")
    report = scan({"agent-harness/helper": bytes(stub)})
    assert ("bundled-binary", "high") in {(f.rule, f.severity) for f in report.findings}


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("README.md", b"MZ is the tool this connector wraps.\n"),
        ("SIGNATURE", b"MZr1kQ0c3Vx9bTqW8m4Ztq9oHk1sY2aQbq8T6rJt0x7Q2jXwE1o5Jm7u0dSg==\n"),
        ("notes.txt", b"Rar! said the dog.\n"),
        ("data/table.txt", b"U\r\r\nnot bytecode, only text that starts oddly\n"),
    ],
)
def test_text_that_starts_like_a_binary_is_text(scan: ScanFn, path: str, data: bytes) -> None:
    """A base64 SIGNATURE starts with 'MZ' once in 4,096 packages: it is not a program."""
    rules = {f.rule for f in scan({path: data}).findings}
    assert "bundled-binary" not in rules and "opaque-blob" not in rules


def test_policy_may_allow_declared_native_binaries(scan: ScanFn) -> None:
    policy = Policy(allowed_binaries=("agent-harness/vendor/*.so",))
    allowed = scan(
        {"agent-harness/vendor/fast.so": ELF},
        permissions=("network", "native"),
        scanner=PackageScanner(policy),
    )
    assert allowed.status == "published"
    undeclared = scan({"agent-harness/vendor/fast.so": ELF}, scanner=PackageScanner(policy))
    assert undeclared.status == "flagged"


def test_media_files_are_fine(scan: ScanFn) -> None:
    png = b"\x89PNG\r\n\x1a\n" + os.urandom(500_000)
    assert scan({"docs/screenshot.png": png}).findings == []


def test_opaque_blobs_need_review_when_large(scan: ScanFn) -> None:
    small = scan({"agent-harness/data.bin2": b"\x00\x01" * 100})
    assert {(f.rule, f.severity) for f in small.findings} == {("opaque-blob", "low")}
    large = scan({"agent-harness/data.bin2": b"\x00\x01" * 300_000})
    assert ("opaque-blob", "medium") in {(f.rule, f.severity) for f in large.findings}
    assert large.status == "pending_review"
