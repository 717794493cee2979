"""Render PlantUML diagrams with the jar shipped in the package (vendor/plantuml.jar)
or the user's own copy in ~/tools."""
import shutil
import subprocess
from pathlib import Path

import click

BUNDLED = Path(__file__).with_name("vendor") / "plantuml.jar"
USER_JAR = Path.home() / "tools" / "plantuml.jar"


def jar() -> Path:
    return USER_JAR if USER_JAR.exists() else BUNDLED


@click.command()
@click.argument("source", type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["png", "svg"]), default="svg")
def main(source: str, fmt: str) -> None:
    """Render SOURCE next to itself."""
    java = shutil.which("java") or "java"
    subprocess.run([java, "-Djava.awt.headless=true", "-jar", str(jar()), f"-t{fmt}", source], check=True)
    click.echo(Path(source).with_suffix(f".{fmt}"))
