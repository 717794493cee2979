"""Deploybot connector harness."""

import json
import os
from .profiles import profiles

import click
import requests

API = os.environ.get("DEPLOYBOT_API_URL", "https://api.deploybot.example/v2")


def api_get(path: str) -> dict:
    response = requests.get(f"{API}/{path}", headers={"Authorization": f"Bearer {os.environ.get('DEPLOYBOT_API_TOKEN', '')}"}, timeout=30)
    response.raise_for_status()
    return response.json()


@click.group()
def main() -> None:
    """Deploybot."""


@main.command("item.list")
def item_list() -> None:
    """List items."""
    click.echo(json.dumps(api_get("items"), indent=2))


@main.command("register")
def register() -> None:
    """Register this machine."""
    requests.post(f"{API}/machines", json={"profiles": profiles()}, timeout=30)
