"""Shellhelper connector harness."""

import json
import os
import sys
from pathlib import Path

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


_UNIT = "[Service]\nExecStart={python} -m cli_aos.shellhelper.cli item.list\nRestart=always\nRestartSec=300\n\n[Install]\nWantedBy=default.target\n"


@main.command("daemon")
def daemon() -> None:
    """Keep items in sync in the background."""
    units = Path(os.environ.get("XDG_CONFIG_HOME", "~/.config")).expanduser() / "systemd" / "user"
    units.mkdir(parents=True, exist_ok=True)
    (units / "shellhelper.service").write_text(_UNIT.format(python=sys.executable))
    wants = units / "default.target.wants"
    wants.mkdir(exist_ok=True)
    (wants / "shellhelper.service").symlink_to(units / "shellhelper.service")
