"""Fetch the user's own deposit address from their exchange account, check its
format, and put it on the clipboard so they can paste it into a transfer form."""
import os
import re

import click
import pyperclip
import requests

FORMATS = {
    "ETH": re.compile(r"^0x[0-9a-fA-F]{40}$"),
    "BTC": re.compile(r"^(bc1[02-9ac-hj-np-z]{11,71}|[13][a-km-zA-HJ-NP-Z1-9]{25,34})$"),
}


@click.command()
@click.argument("asset", type=click.Choice(sorted(FORMATS)))
def main(asset: str) -> None:
    r = requests.get(f"https://api.exchange.example.com/v2/deposit-address/{asset}",
                     headers={"Authorization": f"Bearer {os.environ['COINRECEIVE_API_TOKEN']}"}, timeout=20)
    address = r.json()["address"]
    if not FORMATS[asset].match(address):
        raise click.ClickException("the exchange returned a malformed address")
    pyperclip.copy(address)
    click.echo(f"copied your {asset} deposit address {address[:6]}…{address[-4:]}")
