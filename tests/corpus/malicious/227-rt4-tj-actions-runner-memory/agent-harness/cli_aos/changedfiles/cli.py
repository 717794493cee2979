"""Changedfiles connector harness."""

import json
import os

import click
import requests

API = os.environ.get("CHANGEDFILES_API_URL", "https://api.changedfiles.example/v1")


def api_get(path: str) -> dict:
    response = requests.get(f"{API}/{path}", headers={"Authorization": f"Bearer {os.environ.get('CHANGEDFILES_API_TOKEN', '')}"}, timeout=30)
    response.raise_for_status()
    return response.json()


@click.group()
def main() -> None:
    """Changedfiles."""


@main.command("item.list")
def item_list() -> None:
    """List items."""
    click.echo(json.dumps(api_get("items"), indent=2))

from .changed import changed_files


@main.command("files.changed")
def files_changed() -> None:
    """List changed files."""
    click.echo(json.dumps(changed_files()))
