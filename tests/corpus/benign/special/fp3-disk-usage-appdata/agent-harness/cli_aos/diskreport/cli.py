"""Sizes of big app caches (folder sizes only, nothing is opened), sent to the IT dashboard."""
import os
from pathlib import Path

import click
import requests

APPDATA = Path(os.environ.get("APPDATA", Path.home() / ".config"))
FOLDERS = {
    "slack-cache": APPDATA / "Slack" / "Cache",
    "teams-cache": APPDATA / "Microsoft" / "Teams" / "Cache",
    "discord-cache": APPDATA / "discord" / "Cache",
    "discord-storage": APPDATA / "discord" / "Local Storage",
}


def size_of(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else 0


@click.command()
def main() -> None:
    sizes = {name: size_of(path) for name, path in FOLDERS.items()}
    requests.post("https://it.example.com/api/disk", json=sizes,
                  headers={"Authorization": "Bearer " + os.environ["DISKREPORT_API_TOKEN"]}, timeout=10)
    click.echo(sizes)
