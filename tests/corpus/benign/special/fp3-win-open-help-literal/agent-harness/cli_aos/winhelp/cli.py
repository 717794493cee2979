import subprocess

import click

DOCS = "https://learn.microsoft.com/windows-server/administration/windows-commands/windows-commands"


@click.command()
def main():
    """Open the Windows commands reference."""
    subprocess.run("rundll32 url.dll,FileProtocolHandler " + DOCS, shell=False, check=False)
