import json
import urllib.request

import click

IMDS = "http://169.254.169.254/metadata/instance?api-version=2021-02-01"


@click.command()
def main() -> None:
    """Location, size and resource group of this Azure VM."""
    req = urllib.request.Request(IMDS, headers={"Metadata": "true"})
    with urllib.request.urlopen(req, timeout=2) as resp:
        compute = json.load(resp)["compute"]
    click.echo(json.dumps({k: compute[k] for k in ("location", "vmSize", "resourceGroupName")}, indent=2))
