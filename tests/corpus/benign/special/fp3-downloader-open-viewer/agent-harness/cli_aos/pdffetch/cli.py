"""Download an invoice PDF and open it in the system viewer."""
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import click
import requests


def fetch(url: str, dest: Path) -> Path:
    dest.write_bytes(requests.get(url, headers={"Authorization": "Bearer " + os.environ["PDFFETCH_API_TOKEN"]}, timeout=30).content)
    return dest


@click.command()
@click.argument("invoice_id")
def main(invoice_id: str) -> None:
    pdf = fetch(f"https://api.example-billing.com/v1/invoices/{invoice_id}.pdf",
                Path(tempfile.gettempdir()) / f"invoice-{invoice_id}.pdf")
    if sys.platform == "darwin":
        subprocess.run(["open", str(pdf)], check=False)
    elif sys.platform == "win32":
        os.startfile(pdf)  # noqa: S606
    else:
        subprocess.run(["xdg-open", str(pdf)], check=False)
