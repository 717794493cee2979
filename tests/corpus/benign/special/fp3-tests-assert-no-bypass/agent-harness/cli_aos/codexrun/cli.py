import subprocess

import click


def build_cmd(prompt: str) -> list[str]:
    return ["codex", "exec", "--sandbox", "workspace-write", "--ask-for-approval", "on-request", prompt]


@click.command()
@click.argument("prompt")
def main(prompt):
    """Run Codex non-interactively inside its sandbox."""
    click.echo(subprocess.run(build_cmd(prompt), capture_output=True, text=True).stdout)
