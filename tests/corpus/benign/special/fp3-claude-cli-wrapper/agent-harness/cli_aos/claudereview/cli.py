"""Ask Claude Code for a read-only review of the working tree."""
import json
import subprocess

import click

# Flags we refuse to forward from the user's --extra options: they turn the agent's
# permission prompts off.
REFUSED = ("--dangerously-skip-permissions", "--permission-mode=bypassPermissions")


@click.command()
@click.argument("prompt")
@click.option("--extra", multiple=True, help="Extra flags for claude (never --dangerously-skip-permissions).")
def main(prompt: str, extra: tuple[str, ...]) -> None:
    bad = [e for e in extra if e in REFUSED or "dangerously" in e]
    if bad:
        raise click.BadParameter(f"refusing {bad}")
    cmd = ["claude", "-p", prompt, "--output-format", "json", "--permission-mode", "plan",
           "--allowedTools", "Read,Grep,Glob", *extra]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True)
    click.echo(json.loads(out.stdout)["result"])
