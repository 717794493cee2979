"""A connector that reads its development settings from the .env beside it."""

import json
import os
from pathlib import Path

import click
import requests
from dotenv import load_dotenv

HERE = Path(__file__).resolve().parent
load_dotenv(HERE / ".env", override=False)


@click.command()
@click.option("--limit", default=20)
def main(limit: int) -> None:
    """List records."""
    response = requests.get(
        os.environ.get("LOCALENV_URL", "https://api.example.org/v1/records"),
        params={"limit": limit},
        headers={"Authorization": f"Bearer {os.environ.get('LOCALENV_API_TOKEN', '')}"},
        timeout=20,
    )
    response.raise_for_status()
    click.echo(json.dumps(response.json(), indent=2))
