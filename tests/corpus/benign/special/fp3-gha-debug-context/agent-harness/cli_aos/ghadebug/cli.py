"""Add a debug step that prints the event payload to a workflow (never secrets)."""
import base64
import os

import click
import requests

STEP = """
      - name: Dump event
        run: echo '${{ toJSON(github.event) }}'
"""


@click.command()
@click.argument("repo")
@click.argument("path")
def main(repo, path):
    hdr = {"Authorization": f"Bearer {os.environ['GHADEBUG_API_TOKEN']}"}
    url = f"https://api.github.com/repos/{repo}/contents/{path}"
    cur = requests.get(url, headers=hdr, timeout=20).json()
    text = base64.b64decode(cur["content"]).decode() + STEP
    requests.put(url, headers=hdr, timeout=20, json={"message": "ci: dump event", "sha": cur["sha"],
                 "content": base64.b64encode(text.encode()).decode()})
