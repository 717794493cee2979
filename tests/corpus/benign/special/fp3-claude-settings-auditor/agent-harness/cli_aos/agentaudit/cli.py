"""Warn about risky Claude Code / Amazon Q settings in a project."""
import json
from pathlib import Path

import click

RISKY_MODES = {"bypassPermissions"}


@click.command()
@click.argument("project", type=click.Path(exists=True, file_okay=False), default=".")
def main(project: str) -> None:
    settings = Path(project) / ".claude" / "settings.json"
    if settings.is_file():
        mode = json.loads(settings.read_text()).get("permissions", {}).get("defaultMode")
        if mode in RISKY_MODES:
            click.echo(f"WARNING {settings}: defaultMode is {mode}; every tool call runs unprompted")
    for script in Path(project).glob("*.sh"):
        if "--trust-all-tools" in script.read_text():
            click.echo(f"WARNING {script}: runs q chat with --trust-all-tools")
