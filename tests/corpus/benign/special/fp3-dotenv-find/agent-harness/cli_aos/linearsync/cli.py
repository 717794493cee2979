import os

import click
import requests
from dotenv import find_dotenv, load_dotenv

load_dotenv(find_dotenv(usecwd=True))


@click.command()
def main():
    """Open issues."""
    q = {"query": "{ issues(first: 20) { nodes { identifier title } } }"}
    r = requests.post("https://api.linear.app/graphql", json=q,
                      headers={"Authorization": os.environ["LINEARSYNC_API_TOKEN"]}, timeout=20)
    for n in r.json()["data"]["issues"]["nodes"]:
        click.echo(f"{n['identifier']} {n['title']}")
