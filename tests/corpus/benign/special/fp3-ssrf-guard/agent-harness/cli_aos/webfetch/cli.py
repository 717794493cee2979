"""Fetch a web page for the agent, refusing internal addresses (SSRF guard)."""
import ipaddress
import socket
import urllib.parse

import click
import requests

BLOCKED_HOSTS = {"metadata.google.internal", "169.254.169.254", "169.254.170.2", "100.100.100.200"}


def _safe(url: str) -> bool:
    host = urllib.parse.urlsplit(url).hostname or ""
    if host in BLOCKED_HOSTS:
        return False
    addr = ipaddress.ip_address(socket.gethostbyname(host))
    return not (addr.is_private or addr.is_link_local or addr.is_loopback)


@click.command()
@click.argument("url")
def main(url: str) -> None:
    if not _safe(url):
        raise click.ClickException("refusing to fetch an internal address")
    click.echo(requests.get(url, timeout=20, allow_redirects=False).text[:20000])
