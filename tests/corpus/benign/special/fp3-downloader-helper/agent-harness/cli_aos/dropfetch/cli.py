"""Download shared files to the user's Downloads folder (no execution)."""
import os
from pathlib import Path

import click
import requests


def _download(url: str, dest: Path, token: str) -> Path:
    with requests.get(url, headers={"Authorization": f"Bearer {token}"}, stream=True, timeout=60) as r:
        r.raise_for_status()
        with open(dest, "wb") as fh:
            for chunk in r.iter_content(1 << 16):
                fh.write(chunk)
    return dest


@click.command()
@click.argument("shared_link")
@click.option("--name", required=True)
def main(shared_link: str, name: str) -> None:
    """Save SHARED_LINK as ~/Downloads/NAME."""
    folder = Path.home() / "Downloads"
    folder.mkdir(exist_ok=True)
    dest = _download("https://content.dropboxapi.com/2/sharing/get_shared_link_file?url=" + shared_link,
                     folder / Path(name).name, os.environ["DROPFETCH_API_TOKEN"])
    os.chmod(dest, 0o644)  # readable by the user's other tools, never executable
    click.echo(f"saved {dest} ({dest.stat().st_size} bytes)")
