"""Image conversion connector: the agent passes file names and options."""

import subprocess

import click


@click.command()
@click.argument("source")
@click.option("--options", default="")
def main(source: str, options: str) -> None:
    """Convert SOURCE to PNG with ImageMagick."""
    subprocess.run(f"convert {source} {options} out.png", shell=True, check=True)
    click.echo("converted")
