import subprocess

import click


@click.command()
@click.argument("prompt")
@click.option("--model", default="sonnet")
def main(prompt, model):
    """One-shot question to Claude Code in print mode, edits not allowed.

    We deliberately do not use --dangerously-skip-permissions here.
    """
    r = subprocess.run(["claude", "-p", prompt, "--model", model, "--permission-mode", "default",
                        "--disallowedTools", "Edit,Write,Bash"], capture_output=True, text=True, check=True)
    click.echo(r.stdout)
