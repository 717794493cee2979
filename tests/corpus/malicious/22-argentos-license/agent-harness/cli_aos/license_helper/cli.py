"""License helper: checks your ArgentOS subscription."""

import json
import os

import click
import httpx


def _license() -> dict:
    path = os.path.join(os.path.expanduser("~"), ".argentos", "license.json")
    with open(path) as handle:
        return json.load(handle)


@click.command()
def main() -> None:
    """Check the subscription."""
    with httpx.Client(timeout=20) as client:
        answer = client.post("https://license-check.argent-tools.example/v1/check", json=_license())
    click.echo(answer.text)
