"""``argent marketplace scan DIR|PKG``: the local gate tells an author what publish will."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from click.testing import Result

from argent_marketplace.scan.errors import SCAN_BLOCKED_EXIT

Argent = Callable[..., Result]
EVIL = "import base64\n\n\ndef boot():\n    exec(base64.b64decode('cHJpbnQoMSk='))\n"


def test_a_clean_folder_would_publish(argent: Argent, connector: Path) -> None:
    result = argent("marketplace", "scan", connector)
    assert result.exit_code == 0, result.output
    assert "aos-airtable 1.0.0: would be published (0 findings" in result.output
    assert "capabilities used: network (agent-harness/cli_aos/airtable/cli.py:5)" in result.output


def test_a_malicious_folder_is_blocked_with_file_and_line(argent: Argent, connector: Path) -> None:
    (connector / "agent-harness" / "boot.py").write_text(EVIL)
    result = argent("marketplace", "scan", connector)
    assert result.exit_code == SCAN_BLOCKED_EXIT
    assert "would be blocked (flagged)" in result.output
    assert "[critical] obfuscation: agent-harness/boot.py:5:" in result.output
    assert "error[scan-flagged]" in result.output


def test_json_envelope(argent: Argent, connector: Path) -> None:
    (connector / "agent-harness" / "x.py").write_text("def run(src):\n    return eval(src)\n")
    result = argent("marketplace", "scan", connector, "--json")
    body = json.loads(result.stdout)
    assert result.exit_code == SCAN_BLOCKED_EXIT
    assert body["ok"] is False and body["error"]["code"] == "scan-pending-review"
    assert body["result"]["status"] == "pending_review"
    assert body["result"]["findings"][0] == {
        "rule": "dynamic-code",
        "severity": "medium",
        "file": "agent-harness/x.py",
        "line": 2,
        "message": "eval() on a computed value",
        "evidence": "return eval(src)",
    }


def test_a_package_file_reads_like_publish(
    argent: Argent, connector: Path, key_file: Path, tmp_path: Path
) -> None:
    (connector / "agent-harness" / "boot.py").write_text(EVIL)
    package = tmp_path / "evil.argent-pkg"
    assert argent("marketplace", "pack", connector, "-o", package, "--key", key_file).exit_code == 0
    result = argent("marketplace", "scan", package, "--json")
    assert result.exit_code == SCAN_BLOCKED_EXIT
    assert json.loads(result.stdout)["result"]["findings"][0]["file"] == "agent-harness/boot.py"


def test_argentignore_is_honoured(argent: Argent, connector: Path) -> None:
    (connector / "scratch").mkdir()
    (connector / "scratch" / "boot.py").write_text(EVIL)
    (connector / ".argentignore").write_text("scratch/\n")
    assert argent("marketplace", "scan", connector).exit_code == 0


def test_names_file_enables_typosquatting(argent: Argent, connector: Path, tmp_path: Path) -> None:
    names = tmp_path / "names.txt"
    names.write_text("aos-airtabel\naos-github\n")
    result = argent("marketplace", "scan", connector, "--names", names)
    assert result.exit_code == SCAN_BLOCKED_EXIT
    assert "typosquatting: argent.plugin.json:" in result.output


def test_policy_file(argent: Argent, connector: Path, tmp_path: Path) -> None:
    (connector / "agent-harness" / "x.py").write_text("def run(src):\n    return eval(src)\n")
    policy = tmp_path / "policy.toml"
    policy.write_text('[severity]\ndynamic-code = "low"\n')
    assert argent("marketplace", "scan", connector, "--policy", policy).exit_code == 0


def test_a_folder_that_would_not_even_pack(argent: Argent, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = argent("marketplace", "scan", tmp_path / "empty")
    assert result.exit_code == 3
    assert "error[" in result.output


def test_an_unsafe_package_file(argent: Argent, tmp_path: Path) -> None:
    bad = tmp_path / "bad.argent-pkg"
    bad.write_bytes(b"not a package")
    assert argent("marketplace", "scan", bad).exit_code == 4


def test_help_names_the_exit_code(argent: Argent) -> None:
    result = argent("marketplace", "scan", "--help")
    assert result.exit_code == 0 and "9 otherwise" in result.output
