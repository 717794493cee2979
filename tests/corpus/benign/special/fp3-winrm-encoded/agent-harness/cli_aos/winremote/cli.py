"""Run a PowerShell snippet on this Windows host; -EncodedCommand avoids quoting bugs
(pywinrm's run_ps does the same)."""
import base64
import subprocess

import click


def run_ps(script: str) -> subprocess.CompletedProcess:
    encoded = base64.b64encode(script.encode("utf_16_le")).decode("ascii")
    return subprocess.run(["powershell", "-NoProfile", "-NonInteractive", "-EncodedCommand", encoded],
                          capture_output=True, text=True)


@click.command()
@click.argument("computer")
def main(computer: str) -> None:
    """Uptime of COMPUTER."""
    r = run_ps(f"(Get-CimInstance Win32_OperatingSystem -ComputerName '{computer}').LastBootUpTime")
    click.echo(r.stdout or r.stderr)
