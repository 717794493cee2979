"""Add the office's IPP printers on Windows with printui (rundll32 printui.dll)."""
import subprocess

import click

PRINTERS = {
    "floor1": "http://print.corp.example.com:631/printers/floor1",
    "floor2": "http://print.corp.example.com:631/printers/floor2",
}


@click.command()
@click.argument("name", type=click.Choice(sorted(PRINTERS)))
def main(name: str) -> None:
    subprocess.run(f'rundll32 printui.dll,PrintUIEntry /if /b "{name}" /r "{PRINTERS[name]}" /m "Microsoft IPP Class Driver"',
                   check=True)
