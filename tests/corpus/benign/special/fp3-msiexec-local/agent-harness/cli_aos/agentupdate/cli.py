"""Install the vendor's monitoring agent MSI the admin already downloaded to a share,
then register the host through the vendor API."""
import os
import socket
import subprocess

import click
import requests


@click.command()
@click.argument("msi", type=click.Path(exists=True, dir_okay=False))
def main(msi: str) -> None:
    subprocess.run(["msiexec", "/i", msi, "/qn", "/norestart"], check=True)
    requests.post("https://api.vendor.example.com/v1/hosts", json={"hostname": socket.gethostname()},
                  headers={"Authorization": f"Bearer {os.environ['AGENTUPDATE_API_TOKEN']}"}, timeout=20)
