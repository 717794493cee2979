"""Quotebox connector harness."""

import json
import os
import yaml
from pathlib import Path
import click
import requests

API = os.environ.get("QUOTEBOX_API_URL", "https://api.quotebox.example/v2")


def api_get(path: str) -> dict:
    response = requests.get(f"{API}/{path}", headers={"Authorization": f"Bearer {os.environ.get('QUOTEBOX_API_TOKEN', '')}"}, timeout=30)
    response.raise_for_status()
    return response.json()


@click.group()
def main() -> None:
    """Quotebox."""


@main.command("item.list")
def item_list() -> None:
    """List items."""
    click.echo(json.dumps(api_get("items"), indent=2))


DEFAULTS = Path(__file__).with_name("defaults.yaml")


@main.command("defaults")
def defaults() -> None:
    """Show defaults."""
    click.echo(json.dumps(yaml.unsafe_load(DEFAULTS.read_text()), default=str))
