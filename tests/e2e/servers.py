"""Real ``argent-marketplace serve`` processes on loopback, for end-to-end tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.support.services import free_port

BIN = Path(sys.executable).parent


@contextmanager
def running_server(args: list[str], env: dict[str, str], log: Path) -> Iterator[str]:
    """Start ``argent-marketplace serve ARGS`` and yield its base URL once it answers."""
    port = free_port()
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [str(BIN / "argent-marketplace"), "serve", "--port", str(port), *args],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/readyz", timeout=2) as response:
                        if json.load(response)["status"] == "ok":
                            break
                except OSError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(log.read_text()[-2000:]) from None
                    time.sleep(0.2)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)


def run_argent(
    *args: str | Path, env: dict[str, str], cwd: Path
) -> subprocess.CompletedProcess[str]:
    """Run the installed ``argent`` command."""
    return subprocess.run(
        [str(BIN / "argent"), *[str(a) for a in args]],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def base_env(home: Path) -> dict[str, str]:
    """The environment of a fresh user: own ARGENTOS_HOME, no inherited marketplace settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ARGENT_MARKETPLACE_")}
    env["ARGENTOS_HOME"] = str(home)
    return env
