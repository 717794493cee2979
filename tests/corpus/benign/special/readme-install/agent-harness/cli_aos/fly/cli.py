"""Fly.io connector: wraps flyctl (installed separately)."""

import json
import shutil
import subprocess

import click


def flyctl(*args: str) -> str:
    exe = shutil.which("flyctl") or shutil.which("fly")
    if exe is None:
        raise click.ClickException("install flyctl: see README")
    return subprocess.run([exe, *args], check=True, capture_output=True, text=True).stdout


@click.group()
def main() -> None:
    """Fly.io."""


@main.command("app.list")
def app_list() -> None:
    """List apps."""
    for app in json.loads(flyctl("apps", "list", "--json")):
        click.echo(f"{app['Name']}\t{app['Status']}")


@main.command("app.deploy")
@click.argument("app")
def app_deploy(app: str) -> None:
    """Deploy APP from the current folder."""
    click.echo(flyctl("deploy", "--app", app, "--remote-only"))
