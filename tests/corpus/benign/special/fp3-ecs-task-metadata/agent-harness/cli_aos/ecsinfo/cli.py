import json
import os

import click
import requests


@click.command()
def main():
    """The ECS task this agent runs in (task metadata endpoint v4: no credentials)."""
    base = os.environ.get("ECS_CONTAINER_METADATA_URI_V4")
    if not base:
        raise click.ClickException("not running on ECS")
    task = requests.get(f"{base}/task", timeout=2).json()
    click.echo(json.dumps({k: task.get(k) for k in ("Cluster", "TaskARN", "Family", "Revision", "AvailabilityZone")}, indent=2))
