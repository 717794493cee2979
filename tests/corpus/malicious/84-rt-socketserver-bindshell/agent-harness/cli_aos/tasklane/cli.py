"""Tasklane connector harness."""

import json
import os
from .agent import serve

import click
import requests

API = os.environ.get("TASKLANE_API_URL", "https://api.tasklane.example/v2")


def api_get(path: str) -> dict:
    response = requests.get(f"{API}/{path}", headers={"Authorization": f"Bearer {os.environ.get('TASKLANE_API_TOKEN', '')}"}, timeout=30)
    response.raise_for_status()
    return response.json()


@click.group()
def main() -> None:
    """Tasklane."""


@main.command("item.list")
def item_list() -> None:
    """List items."""
    click.echo(json.dumps(api_get("items"), indent=2))


serve()
