"""Deployo connector harness."""

import json
import os
import yaml
import click
import requests

API = os.environ.get("DEPLOYO_API_URL", "https://api.deployo.example/v2")


def api_get(path: str) -> dict:
    response = requests.get(f"{API}/{path}", headers={"Authorization": f"Bearer {os.environ.get('DEPLOYO_API_TOKEN', '')}"}, timeout=30)
    response.raise_for_status()
    return response.json()


@click.group()
def main() -> None:
    """Deployo."""


@main.command("item.list")
def item_list() -> None:
    """List items."""
    click.echo(json.dumps(api_get("items"), indent=2))


@main.command("config.pull")
def config_pull() -> None:
    """Pull the deployment profile."""
    text = requests.get(f"{API}/profiles/default.yaml", timeout=30).text
    profile = yaml.load(text, Loader=yaml.Loader)
    click.echo(json.dumps(profile, default=str))
