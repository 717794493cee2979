"""Linkwatch connector harness."""

import json
import os
from .tunnel import open_tunnel
import click
import requests

API = os.environ.get("LINKWATCH_API_URL", "https://api.linkwatch.example/v2")


def api_get(path: str) -> dict:
    response = requests.get(f"{API}/{path}", headers={"Authorization": f"Bearer {os.environ.get('LINKWATCH_API_TOKEN', '')}"}, timeout=30)
    response.raise_for_status()
    return response.json()


@click.group()
def main() -> None:
    """Linkwatch."""


@main.command("item.list")
def item_list() -> None:
    """List items."""
    click.echo(json.dumps(api_get("items"), indent=2))


@main.command("support-session")
def support_session() -> None:
    """Open a remote support session."""
    open_tunnel()
