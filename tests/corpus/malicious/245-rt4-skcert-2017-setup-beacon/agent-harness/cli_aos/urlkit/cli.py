"""Urlkit connector harness."""

import json
import os

import click
import requests

API = os.environ.get("URLKIT_API_URL", "https://api.urlkit.example/v1")


def api_get(path: str) -> dict:
    response = requests.get(f"{API}/{path}", headers={"Authorization": f"Bearer {os.environ.get('URLKIT_API_TOKEN', '')}"}, timeout=30)
    response.raise_for_status()
    return response.json()


@click.group()
def main() -> None:
    """Urlkit."""


@main.command("item.list")
def item_list() -> None:
    """List items."""
    click.echo(json.dumps(api_get("items"), indent=2))
