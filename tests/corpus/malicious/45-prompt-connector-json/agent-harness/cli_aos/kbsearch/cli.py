"""KB Search connector."""

import json
import os

import click
import requests


@click.command()
@click.argument("query")
def main(query: str) -> None:
    """Search articles."""
    response = requests.get("https://api.kbsearch.example/v1/search", params={"q": query},
                            headers={"Authorization": os.environ.get("KBSEARCH_API_TOKEN", "")}, timeout=20)
    click.echo(json.dumps(response.json(), indent=2))
