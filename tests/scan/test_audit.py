"""The permission audit: capabilities used vs declared, command modes vs permissions.json."""

from __future__ import annotations

import json

import pytest

from tests.scan.conftest import ScanFn, example_files

CLI = "agent-harness/cli_aos/airtable/cli.py"


def test_undeclared_network_points_at_each_file(scan: ScanFn) -> None:
    report = scan({"agent-harness/cli_aos/airtable/sock.py": "import socket\n"}, permissions=())
    hits = sorted(
        (f.file, f.line, f.severity) for f in report.findings if f.rule == "undeclared-capability"
    )
    assert hits == [
        ("agent-harness/cli_aos/airtable/cli.py", 5, "medium"),
        ("agent-harness/cli_aos/airtable/sock.py", 1, "medium"),
    ]
    assert report.status == "pending_review"


@pytest.mark.parametrize(
    ("code", "capability"),
    [
        ("import http.client\n", "network"),
        ("import httpx\n", "network"),
        ("from aiohttp import ClientSession\n", "network"),
        ("import subprocess\n", "subprocess"),
        ("import os\ndef f():\n    os.system('ls')\n", "subprocess"),
        ("import ctypes\n", "native"),
        ("import cffi\n", "native"),
        (
            "from pathlib import Path\ndef f():\n    (Path.home() / 'out.txt').write_text('x')\n",
            "filesystem",
        ),
        ("def f():\n    open('/etc/aos.conf', 'w').write('x')\n", "filesystem"),
    ],
)
def test_capabilities_are_inferred(scan: ScanFn, code: str, capability: str) -> None:
    report = scan({"agent-harness/cli_aos/airtable/x.py": code})
    assert capability in report.capabilities
    undeclared = {f.message for f in report.findings if f.rule == "undeclared-capability"}
    assert any(capability in m for m in undeclared) == (capability != "network")


@pytest.mark.parametrize(
    "code",
    [
        "from urllib.parse import urlencode\n",
        "import http\nOK = http.HTTPStatus.OK\n",
        "import tempfile\ndef f():\n    open(tempfile.gettempdir() + '/x', 'w').write('x')\n",
        "from pathlib import Path\ndef f():\n    (Path(__file__).parent / 'cache.json').write_text('{}')\n",
        "def f(path):\n    open(path, 'w').write('x')\n",
    ],
)
def test_what_is_not_a_capability(scan: ScanFn, code: str) -> None:
    report = scan({"agent-harness/cli_aos/airtable/x.py": code})
    assert set(report.capabilities) == {"network"}
    assert report.findings == []


def test_declared_but_unused_is_info(scan: ScanFn) -> None:
    report = scan(permissions=("network", "subprocess"))
    assert [(f.rule, f.severity, f.file, f.line) for f in report.findings] == [
        ("unused-permission", "info", "argent.plugin.json", 0)
    ]
    assert report.status == "published"


def _permissions(modes: dict[str, str]) -> str:
    return json.dumps({"tool": "aos-airtable", "permissions": modes}, indent=2)


def _example_modes() -> dict[str, str]:
    return json.loads(example_files()["agent-harness/permissions.json"])["permissions"]


def test_every_command_needs_a_mode(scan: ScanFn) -> None:
    modes = _example_modes()
    del modes["record.update"]
    report = scan({"agent-harness/permissions.json": _permissions(modes)})
    assert [(f.rule, f.evidence) for f in report.findings] == [
        ("command-mode-missing", "record.update")
    ]


def test_modes_must_be_known(scan: ScanFn) -> None:
    modes = _example_modes() | {"record.update": "superuser"}
    report = scan({"agent-harness/permissions.json": _permissions(modes)})
    assert "invalid-command-mode" in {f.rule for f in report.findings}
    assert all(f.line > 0 for f in report.findings if f.rule == "invalid-command-mode")


def test_modes_must_agree_with_connector_json(scan: ScanFn) -> None:
    modes = _example_modes() | {"record.create": "readonly"}
    report = scan({"agent-harness/permissions.json": _permissions(modes)})
    hits = [f for f in report.findings if f.rule == "command-mode-mismatch"]
    assert hits and hits[0].severity == "medium"


def test_missing_permissions_file(scan: ScanFn) -> None:
    report = scan(drop=("agent-harness/permissions.json",))
    assert [f.rule for f in report.findings] == ["command-mode-missing"]


def test_reference_connectors_are_consistent() -> None:
    from argent_marketplace.scan.audit import command_mode_findings
    from tests.support.connectors import REFERENCE, reference_names

    for name in reference_names():
        files = {
            "connector.json": (REFERENCE / name / "connector.json").read_bytes(),
            "agent-harness/permissions.json": (REFERENCE / name / "permissions.json").read_bytes(),
        }
        assert command_mode_findings(files) == [], name
