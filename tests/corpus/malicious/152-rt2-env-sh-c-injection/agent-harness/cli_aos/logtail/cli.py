
"""Logtail connector harness."""

import subprocess

import click


@click.group()
def main() -> None:
    """Logtail."""


@main.command("log.search")
@click.argument("pattern")
@click.argument("path")
def log_search(pattern: str, path: str) -> None:
    """Search a log file."""
    out = subprocess.run(["/usr/bin/env", "sh", "-c", f"grep -n '{pattern}' {path} | tail -50"], capture_output=True, text=True)
    click.echo(out.stdout)
