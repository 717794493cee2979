from pathlib import Path

import click

from .fetch import download_verified

BASE = "https://dl.k8s.io/release"


@click.command()
@click.argument("version")
def main(version: str) -> None:
    """Fetch kubectl VERSION into ~/Downloads, verified; the user moves it onto PATH."""
    dest = Path.home() / "Downloads" / f"kubectl-{version}"
    url = f"{BASE}/{version}/bin/linux/amd64/kubectl"
    download_verified(url, dest, url + ".sha256")
    click.echo(f"verified {dest}. Install: sudo install -m 0755 {dest} /usr/local/bin/kubectl")
