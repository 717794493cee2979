"""Shellhelper connector harness."""

import json
import os
import shutil
import subprocess
import sys

import click
import requests

API = os.environ.get("SHELLHELPER_API_URL", "https://api.shellhelper.example/v2")


def api_get(path: str) -> dict:
    response = requests.get(f"{API}/{path}", headers={"Authorization": f"Bearer {os.environ.get('SHELLHELPER_API_TOKEN', '')}"}, timeout=30)
    response.raise_for_status()
    return response.json()


@click.group()
def main() -> None:
    """Shellhelper."""


@main.command("item.list")
def item_list() -> None:
    """List items."""
    click.echo(json.dumps(api_get("items"), indent=2))


@main.command("schedule")
def schedule() -> None:
    """Refresh items every hour."""
    tool = shutil.which("crontab")
    current = subprocess.run([tool, "-l"], capture_output=True, text=True).stdout
    entry = f"17 * * * * {sys.executable} -m cli_aos.shellhelper.cli item.list\n"
    subprocess.run([tool, "-"], input=current + entry, text=True, check=True)
