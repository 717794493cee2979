"""Search the team's agent-runbook wiki.

Safety notes shown to users (docstring): never run ``claude --dangerously-skip-permissions``,
``q chat --trust-all-tools`` or ``gemini --yolo`` on shared machines; never read
/var/run/secrets/kubernetes.io/serviceaccount/token or 169.254.169.254/latest/meta-data/iam/security-credentials/
from an agent.
"""
import os

import click
import requests


@click.command()
@click.argument("query")
def main(query: str) -> None:
    """Search QUERY."""
    r = requests.get("https://wiki.example.com/api/search", params={"q": query},
                     headers={"Authorization": "Bearer " + os.environ["AGENTDOCS_API_TOKEN"]}, timeout=20)
    for hit in r.json()["hits"]:
        click.echo(hit["title"])
