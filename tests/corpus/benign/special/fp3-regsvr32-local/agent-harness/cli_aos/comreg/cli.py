"""Register the vendor's Office add-in COM DLL (installed by their MSI) for the user."""
import subprocess
from pathlib import Path

import click

DLL = Path(r"C:\Program Files\ExampleVendor\AddIn\vendoraddin64.dll")


@click.command()
@click.option("--unregister", is_flag=True)
def main(unregister: bool) -> None:
    args = ["regsvr32", "/s"] + (["/u"] if unregister else []) + [str(DLL)]
    subprocess.run(args, check=True)
    click.echo("done; see https://docs.examplevendor.com/addin/regsvr32 for troubleshooting")
