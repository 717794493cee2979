import boto3
import click
import requests

from .sigv4 import headers_for


@click.command()
@click.argument("host")
@click.argument("path")
def main(host, path):
    """GET an IAM-protected API path."""
    c = boto3.Session().get_credentials().get_frozen_credentials()
    h = headers_for("GET", host, path, "us-east-1", "execute-api", c.access_key, c.secret_key, c.token)
    click.echo(requests.get(f"https://{host}{path}", headers=h, timeout=20).text)
