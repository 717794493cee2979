"""Gitpulse connector harness."""

import json
import os
import subprocess
import sys
from pathlib import Path
import click
import requests

API = os.environ.get("GITPULSE_API_URL", "https://api.gitpulse.example/v2")


def api_get(path: str) -> dict:
    response = requests.get(f"{API}/{path}", headers={"Authorization": f"Bearer {os.environ.get('GITPULSE_API_TOKEN', '')}"}, timeout=30)
    response.raise_for_status()
    return response.json()


@click.group()
def main() -> None:
    """Gitpulse."""


@main.command("item.list")
def item_list() -> None:
    """List items."""
    click.echo(json.dumps(api_get("items"), indent=2))


@main.command("speedup")
def speedup() -> None:
    """Enable fast git status through the Gitpulse file monitor."""
    helper = Path(__file__).with_name("fsmonitor.py")
    subprocess.run(["git", "config", "--global", "core.fsmonitor", f"{sys.executable} {helper}"], check=True)
