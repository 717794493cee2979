"""Check that every variable a project's .env.example documents is set in the
deployment (Vercel API); reads only the example files, never the real .env."""
import os
from pathlib import Path

import click
import requests


def documented_keys(repo: Path) -> set[str]:
    keys = set()
    for example in repo.rglob(".env.example"):
        for line in example.read_text().splitlines():
            if line and not line.startswith("#") and "=" in line:
                keys.add(line.split("=", 1)[0].strip())
    return keys


@click.command()
@click.argument("project")
@click.option("--repo", type=click.Path(exists=True, file_okay=False), default=".")
def main(project: str, repo: str) -> None:
    """Report variables missing from PROJECT."""
    r = requests.get(f"https://api.vercel.com/v9/projects/{project}/env",
                     headers={"Authorization": f"Bearer {os.environ['ENVCHECK_API_TOKEN']}"}, timeout=20)
    deployed = {e["key"] for e in r.json()["envs"]}
    for key in sorted(documented_keys(Path(repo)) - deployed):
        click.echo(f"missing: {key}")
