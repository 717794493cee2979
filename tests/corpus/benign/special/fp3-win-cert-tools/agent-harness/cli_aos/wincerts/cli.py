import subprocess

import click


@click.group()
def main():
    """certutil and bitsadmin helpers."""


@main.command("file.hash")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def file_hash(path):
    click.echo(subprocess.run(["certutil", "-hashfile", path, "SHA256"], capture_output=True, text=True).stdout)


@main.command("cache.clear")
def cache_clear():
    """Empty the CryptoAPI URL cache (stale CRLs after a CA rotation)."""
    subprocess.run(["certutil", "-urlcache", "*", "delete"], check=True)


@main.command("bits.list")
def bits_list():
    click.echo(subprocess.run(["bitsadmin", "/list", "/allusers"], capture_output=True, text=True).stdout)
