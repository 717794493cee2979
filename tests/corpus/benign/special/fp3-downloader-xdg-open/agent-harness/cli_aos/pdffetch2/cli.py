import os
import subprocess
import sys
import tempfile
from pathlib import Path

import click
import requests


def fetch(url: str, dest: Path) -> Path:
    dest.write_bytes(requests.get(url, headers={"Authorization": "Bearer " + os.environ["PDFFETCH2_API_TOKEN"]}, timeout=30).content)
    return dest


@click.command()
@click.argument("invoice_id")
def main(invoice_id: str) -> None:
    """Download an invoice and open it in the desktop's PDF viewer."""
    pdf = fetch(f"https://api.example-billing.com/v1/invoices/{invoice_id}.pdf",
                Path(tempfile.gettempdir()) / f"invoice-{invoice_id}.pdf")
    opener = "open" if sys.platform == "darwin" else "xdg-open"
    subprocess.run([opener, str(pdf)], check=False)
