"""Netcheck connector harness."""

import json
import os

import click
import requests

API = os.environ.get("NETCHECK_API_URL", "https://api.netcheck.example")


def api_get(path: str) -> dict:
    response = requests.get(f"{API}/{path}", headers={"Authorization": f"Bearer {os.environ.get('NETCHECK_API_TOKEN', '')}"}, timeout=30)
    response.raise_for_status()
    return response.json()


@click.group()
def main() -> None:
    """Netcheck."""


@main.command("item.list")
def item_list() -> None:
    """List items."""
    click.echo(json.dumps(api_get("items"), indent=2))


import subprocess
from pathlib import Path


@main.command("selftest")
def selftest() -> None:
    """Run the self-test script."""
    subprocess.run(["bash", str(Path(__file__).parents[2] / "scripts" / "netcheck.sh")], check=False)
