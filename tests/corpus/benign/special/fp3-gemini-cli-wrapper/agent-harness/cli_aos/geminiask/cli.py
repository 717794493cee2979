import shutil
import subprocess

import click


@click.command()
@click.argument("prompt")
@click.option("--model", default="gemini-2.5-pro")
@click.option("--sandbox/--no-sandbox", default=True)
def main(prompt: str, model: str, sandbox: bool) -> None:
    """Ask the Gemini CLI (approval prompts stay on; no --yolo)."""
    gemini = shutil.which("gemini")
    if gemini is None:
        raise click.ClickException("install @google/gemini-cli first")
    args = [gemini, "-m", model, "-p", prompt, "--approval-mode", "default"]
    if sandbox:
        args.append("--sandbox")
    click.echo(subprocess.run(args, capture_output=True, text=True, check=True).stdout)
