"""Set Discord Rich Presence from the agent via the local IPC socket (pypresence)."""
import os
import sys
from pathlib import Path

import click
from pypresence import Presence


def discord_installed() -> bool:
    """Whether the desktop client is installed (its config folder exists)."""
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA", ""))
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path.home() / ".config"
    return any((base / name).is_dir() for name in ("discord", "discordptb", "discordcanary"))


@click.command()
@click.argument("state")
def main(state: str) -> None:
    """Show STATE as the user's activity."""
    if not discord_installed():
        raise click.ClickException("Discord desktop is not installed")
    rpc = Presence(os.environ["DISCORDPRESENCE_CLIENT_ID"])
    rpc.connect()
    rpc.update(state=state, details="working with AOS")
