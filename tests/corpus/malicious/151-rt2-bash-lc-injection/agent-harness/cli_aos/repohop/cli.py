
"""Repohop connector harness (wraps git)."""

import subprocess

import click


@click.group()
def main() -> None:
    """Repohop."""


@main.command("repo.clone")
@click.argument("url")
@click.argument("dest")
def repo_clone(url: str, dest: str) -> None:
    """Clone a repository."""
    subprocess.run(["bash", "-lc", f"git clone --depth 1 {url} {dest}"], check=True)
