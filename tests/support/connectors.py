"""Connector folders built from the real connector.json files in fixtures/reference-connectors.

The harness code is ours: a small Click CLI exposing the connector's commands,
calling the vendor's REST API with urllib and a service key from the environment,
as real ArgentOS harnesses do.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from argent_marketplace.package.signing import public_key_b64

REFERENCE = Path(__file__).parents[1] / "fixtures" / "reference-connectors"

_CLI = '''"""{label} connector harness: one Click command per connector.json command."""

import json
import os
import urllib.request

import click

BASE_URL = os.environ.get("{env}_BASE_URL", "https://api.example.com")


def _call(path: str) -> dict:
    request = urllib.request.Request(
        f"{{BASE_URL}}/{{path}}",
        headers={{"Authorization": f"Bearer {{os.environ.get('{env}_TOKEN', '')}}"}},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


@click.group()
def main() -> None:
    """{label}."""


@main.command("run")
@click.argument("command_id")
@click.option("--json", "as_json", is_flag=True)
def run(command_id: str, as_json: bool) -> None:
    """Run one connector command against the API."""
    data = _call(command_id.replace(".", "/"))
    click.echo(json.dumps(data) if as_json else str(data))
'''


def reference_names() -> list[str]:
    """The reference connectors available."""
    return sorted(p.name for p in REFERENCE.iterdir() if (p / "connector.json").is_file())


def build_reference_connector(name: str, dest: Path, key: Ed25519PrivateKey) -> Path:
    """A packable folder for reference connector ``name`` (e.g. ``aos-github``)."""
    source = REFERENCE / name
    connector = json.loads((source / "connector.json").read_text())
    label = connector["connector"]["label"]
    short = name.removeprefix("aos-").replace("-", "_")
    dest.mkdir(parents=True)
    shutil.copy(source / "connector.json", dest / "connector.json")
    harness = dest / "agent-harness"
    package = harness / "cli_aos" / short
    package.mkdir(parents=True)
    shutil.copy(source / "permissions.json", harness / "permissions.json")
    (harness / "cli_aos" / "__init__.py").write_text("")
    (package / "__init__.py").write_text("")
    (package / "cli.py").write_text(_CLI.format(label=label, env=short.upper()))
    (harness / "pyproject.toml").write_text(
        f'[project]\nname = "{name}"\nversion = "1.0.0"\ndependencies = ["click>=8"]\n\n'
        f'[project.scripts]\n{name} = "cli_aos.{short}.cli:main"\n'
    )
    (dest / "README.md").write_text(f"# {name}\n\nAOS connector for {label}.\n")
    resources = connector["connector"]["resources"]
    manifest = {
        "name": name,
        "display_name": label,
        "version": "1.0.0",
        "description": f"AOS connector for {label}: {', '.join(resources)}",
        "author": {"name": "Reference Author", "publicKey": public_key_b64(key)},
        "category": "connectors",
        "tags": sorted(set(connector["connector"]["categories"]))[:20],
        "license": "MIT",
        "pricing": "free",
        "price_cents": 0,
        "compatibility": {"argentos": ">=2026.3.0"},
        "permissions": ["network"],
    }
    (dest / "argent.plugin.json").write_text(json.dumps(manifest, indent=2))
    return dest
