"""Fetch a PlantUML diagram's *source text* from a Confluence page attachment and
render it locally with the user's plantuml.jar (the source is data, not a program)."""
import os
import subprocess
import tempfile
from pathlib import Path

import click
import requests

JAR = Path.home() / "tools" / "plantuml.jar"


@click.command()
@click.argument("page_id")
@click.argument("attachment")
def main(page_id: str, attachment: str) -> None:
    base = os.environ["CONFLUML_URL"].rstrip("/")
    r = requests.get(f"{base}/wiki/rest/api/content/{page_id}/child/attachment",
                     params={"filename": attachment}, auth=("me", os.environ["CONFLUML_API_TOKEN"]), timeout=20)
    link = r.json()["results"][0]["_links"]["download"]
    src = Path(tempfile.mkdtemp()) / "diagram.puml"
    src.write_bytes(requests.get(base + "/wiki" + link, auth=("me", os.environ["CONFLUML_API_TOKEN"]), timeout=20).content)
    subprocess.run(["java", "-jar", str(JAR), "-tsvg", str(src)], check=True)
    click.echo(src.with_suffix(".svg"))
