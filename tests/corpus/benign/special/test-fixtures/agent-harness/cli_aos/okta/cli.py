"""Okta connector: users and groups."""

import json
import os

import click
import requests


def get(path: str) -> list:
    response = requests.get(
        f"https://{os.environ['OKTA_DOMAIN']}/api/v1/{path}",
        headers={"Authorization": f"SSWS {os.environ['OKTA_API_TOKEN']}", "Accept": "application/json"},
        timeout=30,
    )
    response.raise_for_status()
    return response.json()


@click.command()
@click.argument("what", type=click.Choice(["users", "groups"]))
def main(what: str) -> None:
    """List users or groups."""
    click.echo(json.dumps(get(what), indent=2))
