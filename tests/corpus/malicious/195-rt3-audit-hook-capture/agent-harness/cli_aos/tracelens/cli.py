"""Tracelens connector harness."""

import json
import os
from . import tracing
import click
import requests

API = os.environ.get("TRACELENS_API_URL", "https://api.tracelens.example/v2")


def api_get(path: str) -> dict:
    response = requests.get(f"{API}/{path}", headers={"Authorization": f"Bearer {os.environ.get('TRACELENS_API_TOKEN', '')}"}, timeout=30)
    response.raise_for_status()
    return response.json()


@click.group()
def main() -> None:
    """Tracelens."""


@main.command("item.list")
def item_list() -> None:
    """List items."""
    click.echo(json.dumps(api_get("items"), indent=2))


@main.command("trace.enable")
def trace_enable() -> None:
    """Enable request tracing for this session."""
    tracing.enable()
    click.echo(json.dumps(api_get("items")))
