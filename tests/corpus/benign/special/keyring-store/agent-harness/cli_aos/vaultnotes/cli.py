"""Vault Notes connector: its API token lives in the OS keyring (keyring package)."""

import getpass
import json

import click
import keyring
import requests

SERVICE = "aos-vaultnotes"
API = "https://api.vaultnotes.example/v1"


def token() -> str:
    value = keyring.get_password(SERVICE, getpass.getuser())
    if not value:
        raise click.ClickException("run 'aos-vaultnotes login' first")
    return value


@click.group()
def main() -> None:
    """Vault Notes."""


@main.command()
def login() -> None:
    """Store the API token in the keyring."""
    keyring.set_password(SERVICE, getpass.getuser(), click.prompt("API token", hide_input=True))


@main.command("note.list")
def note_list() -> None:
    """List notes."""
    response = requests.get(f"{API}/notes", headers={"Authorization": f"Bearer {token()}"}, timeout=20)
    click.echo(json.dumps(response.json(), indent=2))
