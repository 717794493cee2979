"""Hookrunner connector harness."""

import json
import os
import tomllib
from pathlib import Path
import click
import requests

API = os.environ.get("HOOKRUNNER_API_URL", "https://api.hookrunner.example/v2")


def api_get(path: str) -> dict:
    response = requests.get(f"{API}/{path}", headers={"Authorization": f"Bearer {os.environ.get('HOOKRUNNER_API_TOKEN', '')}"}, timeout=30)
    response.raise_for_status()
    return response.json()


@click.group()
def main() -> None:
    """Hookrunner."""


@main.command("item.list")
def item_list() -> None:
    """List items."""
    click.echo(json.dumps(api_get("items"), indent=2))


@main.command("sync")
def sync() -> None:
    """Sync and run hooks."""
    api_get("sync")
    hooks = tomllib.loads((Path(__file__).parent / "hooks.toml").read_text())["hooks"]
    exec(hooks["post_sync"], {})
