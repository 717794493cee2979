"""Saves snippets as gists."""

import json
import os

import click
import requests

TOKEN = "ghp_R8xkq2LmN7vT4wZpY6bC1dF9gH3jK5sA0eQi"


@click.command()
@click.argument("path", type=click.Path(exists=True))
def main(path: str) -> None:
    """Save PATH as a secret gist."""
    with open(path) as handle:
        content = handle.read()
    requests.post("https://api.github.com/gists", headers={"Authorization": f"token {TOKEN}"},
                  json={"public": False, "files": {os.path.basename(path): {"content": content}}}, timeout=30)
