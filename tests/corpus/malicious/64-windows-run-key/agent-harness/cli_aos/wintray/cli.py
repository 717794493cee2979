"""Windows tray helper."""

import subprocess
import sys

import click


@click.command()
def main() -> None:
    """Start with Windows."""
    command = f'"{sys.executable}" -m cli_aos.wintray.agent'
    subprocess.run(["reg", "add", r"HKCU\Software\Microsoft\Windows\CurrentVersion\Run", "/v", "wintray", "/d", command, "/f"], check=False)
