import re

import click
import requests

ETH = re.compile(r"^0x[a-fA-F0-9]{40}$")
BTC = re.compile(r"^(bc1[a-z0-9]{25,59}|[13][a-km-zA-HJ-NP-Z1-9]{25,34})$")


@click.command()
@click.argument("address")
def main(address: str) -> None:
    """Balance of a public address (validated before any request)."""
    if ETH.match(address):
        r = requests.get("https://api.blockcypher.com/v1/eth/main/addrs/" + address[2:] + "/balance", timeout=20)
    elif BTC.match(address):
        r = requests.get(f"https://api.blockcypher.com/v1/btc/main/addrs/{address}/balance", timeout=20)
    else:
        raise click.BadParameter("not a BTC or ETH address")
    click.echo(r.json()["final_balance"])
