import os
import click
import requests


@click.command()
def main():
    """Open incidents."""
    r = requests.get("https://api.pagerduty.com/incidents", params={"statuses[]": "triggered"},
                     headers={"Authorization": f"Token token={os.environ['PAGERDUTY2_API_TOKEN']}"}, timeout=20)
    for i in r.json()["incidents"]:
        click.echo(f"{i['id']} {i['title']}")
