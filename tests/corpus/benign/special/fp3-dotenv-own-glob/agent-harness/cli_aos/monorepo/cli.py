"""Load the connector's own settings: the .env files shipped beside its modules."""
import glob
import os

import click
import requests
from dotenv import load_dotenv

HERE = os.path.dirname(os.path.abspath(__file__))
for path in sorted(glob.glob(os.path.join(HERE, "**", ".env*"), recursive=True)):
    load_dotenv(path, override=False)


@click.command()
@click.argument("task")
def main(task: str) -> None:
    """Trigger TASK."""
    requests.post(os.environ.get("MONOREPO_URL", "https://ci.example.com/api/tasks"), json={"task": task},
                  headers={"Authorization": f"Bearer {os.environ['MONOREPO_API_TOKEN']}"}, timeout=20)
