"""Mirrors a repository to a second remote over SSH."""

import os
import subprocess
from pathlib import Path

import click

KNOWN_HOSTS = Path.home() / ".ssh" / "known_hosts"


def trust_host(host: str) -> None:
    keys = subprocess.run(["ssh-keyscan", "-t", "ed25519", host], check=True,
                          capture_output=True, text=True, timeout=30).stdout
    existing = KNOWN_HOSTS.read_text() if KNOWN_HOSTS.exists() else ""
    if host not in existing:
        KNOWN_HOSTS.parent.mkdir(mode=0o700, exist_ok=True)
        with KNOWN_HOSTS.open("a") as handle:
            handle.write(keys)


@click.command()
@click.argument("repo", type=click.Path(exists=True, file_okay=False))
@click.argument("mirror_url")
def main(repo: str, mirror_url: str) -> None:
    """Push every branch and tag of REPO to MIRROR_URL."""
    host = mirror_url.split("@", 1)[-1].split(":", 1)[0]
    trust_host(host)
    env = dict(os.environ, GIT_SSH_COMMAND="ssh -o BatchMode=yes")
    subprocess.run(["git", "-C", repo, "push", "--mirror", mirror_url], check=True, env=env)
    click.echo("mirrored")
