"""The scanner corpus (tests/corpus/): benign connectors and malicious samples, as files.

Every sample becomes a complete connector (manifest, ``connector.json``,
``permissions.json``, README, harness package) built in memory; a sample folder
only holds what makes it itself, and the rest is filled in the way real
connectors look. Nothing here imports or runs a sample's code.

* ``benign/services.json``: connectors rendered from ``benign/archetypes/*.tmpl``
  (urllib, requests, httpx, aiohttp and http.client clients, Click and argparse
  CLIs, subprocess wrappers with literal arguments, OAuth loopback flows, local
  caches...), one per service.
* ``benign/special/<name>/`` and ``malicious/<name>/``: hand-written samples with a
  ``sample.json`` (package name, permissions, commands, the rules expected) and
  their files; ``generate`` entries build inputs too big to keep in git.
"""

from __future__ import annotations

import json
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from argent_marketplace.package.signing import public_key_b64
from argent_marketplace.scan import PackageScanner, ScanContext, ScanReport

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
REFERENCE_NAMES = (
    "aos-1password",
    "aos-airtable",
    "aos-calendar",
    "aos-github",
    "aos-notion",
    "aos-slack",
    "aos-stripe",
)
"""Already-published names (another author's) the typosquatting rule compares against."""

_PLACEHOLDER_KEY = "A" * 43 + "="
_METHODS = {"readonly": "GET", "write": "POST", "full": "PUT", "admin": "DELETE"}


@dataclass(frozen=True)
class Sample:
    """One corpus connector, complete, in memory."""

    kind: str
    name: str
    permissions: tuple[str, ...]
    expect: tuple[str, ...]
    files: dict[str, bytes] = field(repr=False)
    note: str = ""


def _short(name: str) -> str:
    return name.removeprefix("aos-").replace("-", "_")


def _connector(name: str, label: str, env: str, commands: dict[str, str]) -> dict[str, Any]:
    resources = sorted({c.split(".")[0] for c in commands})
    return {
        "backend": f"{_short(name)}-api",
        "connector": {
            "label": label,
            "category": "productivity",
            "categories": ["productivity"],
            "resources": resources,
        },
        "auth": {"kind": "service-key", "required": True, "service_keys": [f"{env}_API_TOKEN"]},
        "commands": [
            {
                "id": cid,
                "summary": f"{cid.replace('.', ' ').capitalize()} in {label}",
                "required_mode": mode,
                "supports_json": True,
                "resource": cid.split(".")[0],
                "action_class": "read" if mode == "readonly" else "write",
            }
            for cid, mode in commands.items()
        ],
    }


def _manifest(name: str, label: str, permissions: list[str]) -> dict[str, Any]:
    return {
        "name": name,
        "display_name": label,
        "version": "1.0.0",
        "description": f"AOS connector for {label}",
        "author": {"name": "Corpus Author", "publicKey": _PLACEHOLDER_KEY},
        "category": "connectors",
        "tags": [_short(name).replace("_", "-")],
        "license": "MIT",
        "pricing": "free",
        "price_cents": 0,
        "compatibility": {"argentos": ">=2026.3.0"},
        "permissions": permissions,
    }


def _pyproject(name: str, short: str) -> str:
    return (
        '[build-system]\nrequires = ["setuptools>=68"]\nbuild-backend = "setuptools.build_meta"\n\n'
        f'[project]\nname = "{name}"\nversion = "1.0.0"\nrequires-python = ">=3.11"\n'
        'dependencies = ["click>=8", "requests>=2.31"]\n\n'
        f'[project.scripts]\n{name} = "cli_aos.{short}.cli:main"\n\n'
        '[tool.setuptools.packages.find]\ninclude = ["cli_aos*"]\n'
    )


def _defaults(meta: dict[str, Any]) -> dict[str, str]:
    """The files every connector has, from a sample's metadata."""
    name, label = meta["name"], meta.get("label", meta["name"])
    env = meta.get("env", _short(name).upper())
    commands = meta.get("commands", {"health": "readonly"})
    short = _short(name)
    harness = f"agent-harness/cli_aos/{short}"
    return {
        "argent.plugin.json": json.dumps(_manifest(name, label, meta["permissions"]), indent=2),
        "connector.json": json.dumps(_connector(name, label, env, commands), indent=2),
        "agent-harness/permissions.json": json.dumps(
            {"tool": name, "backend": f"{short}-api", "permissions": commands}, indent=2
        ),
        "README.md": (
            f"# {name}\n\nAOS connector for {label}.\n\n"
            f"Set `{env}_API_TOKEN` in operator-controlled API keys, then run "
            f"`{name} health` to check the setup.\n"
        ),
        "agent-harness/pyproject.toml": _pyproject(name, short),
        "agent-harness/cli_aos/__init__.py": "",
        f"{harness}/__init__.py": "",
    }


def _extras(meta: dict[str, Any]) -> dict[str, str]:
    name, short = meta["name"], _short(meta["name"])
    env = meta.get("env", short.upper())
    out: dict[str, str] = {}
    extras = meta.get("extras", [])
    if "tests" in extras:
        out["agent-harness/tests/test_cli.py"] = (
            "from click.testing import CliRunner\n\n"
            f"from cli_aos.{short} import cli\n\n\n"
            "def test_help():\n"
            "    result = CliRunner().invoke(getattr(cli, 'main', None) or cli.cli, ['--help'])\n"
            "    assert result.exit_code == 0\n\n\n"
            "def test_missing_token(monkeypatch):\n"
            f"    monkeypatch.delenv('{env}_API_TOKEN', raising=False)\n"
            "    assert cli is not None\n"
        )
    if "setup_py" in extras:
        out["agent-harness/setup.py"] = "from setuptools import setup\n\nsetup()\n"
    if "dev_script" in extras:
        out["scripts/dev.sh"] = (
            '#!/usr/bin/env bash\nset -euo pipefail\ncd "$(dirname "$0")/../agent-harness"\n'
            "python3 -m venv .venv\n.venv/bin/pip install -e . pytest\n.venv/bin/pytest -q\n"
        )
    if "makefile" in extras:
        out["agent-harness/Makefile"] = (
            ".PHONY: test lint\n\ntest:\n\tpython -m pytest -q\n\n"
            "lint:\n\tpython -m ruff check cli_aos tests\n"
        )
    if "commands_pkg" in extras:
        base = f"agent-harness/cli_aos/{short}/commands"
        out[f"{base}/__init__.py"] = ""
        for cid in meta["commands"]:
            resource = cid.split(".")[0]
            out[f"{base}/{cid.replace('.', '_')}.py"] = (
                '"""One connector command."""\n\nimport json\nimport os\nimport urllib.request\n\n\n'
                "def run(token: str) -> dict:\n"
                f"    url = os.environ.get('{env}_BASE_URL', '{meta['base_url']}') + '/{resource}s'\n"
                "    request = urllib.request.Request(url, headers={'Authorization': f'Bearer {token}'})\n"
                "    with urllib.request.urlopen(request, timeout=20) as response:\n"
                "        return json.load(response)\n"
            )
    _ = name
    return out


def _render(meta: dict[str, Any]) -> str:
    template = (CORPUS / "benign" / "archetypes" / f"{meta['archetype']}.py.tmpl").read_text()
    commands: dict[str, str] = meta["commands"]
    if meta["archetype"] == "subprocess_tool":
        routes = {c: (c.split(".")[1], c.split(".")[0]) for c in commands}
    else:
        routes = {c: (_METHODS[m], c.split(".")[0] + "s") for c, m in commands.items()}
    return string.Template(template).substitute(
        label=meta["label"],
        name=meta["name"],
        env=meta["env"],
        base_url=meta["base_url"],
        routes=repr(routes),
        tool=meta.get("tool", ""),
    )


def _generated(kind: str) -> str:
    if kind == "long-line":
        return "PAYLOAD = '" + "QUJD" * (10 * 1024 * 1024 // 4) + "'\n"
    if kind == "deep-nesting":
        return "x = " + "+".join(["1"] * 100_000) + "\n"
    if kind == "deep-calls":
        return "x = " + "f(" * 190 + "1" + ")" * 190 + "\n"
    raise ValueError(kind)


def _encode(files: dict[str, str | bytes]) -> dict[str, bytes]:
    return {p: d.encode() if isinstance(d, str) else d for p, d in sorted(files.items())}


def _from_folder(kind: str, folder: Path) -> Sample:
    meta = json.loads((folder / "sample.json").read_text())
    files: dict[str, str | bytes] = dict(_defaults(meta))
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_file() and rel != "sample.json":
            files[rel] = path.read_bytes()
    for rel, generator in meta.get("generate", {}).items():
        files[rel] = _generated(generator)
    return Sample(
        kind,
        meta["name"],
        tuple(meta["permissions"]),
        tuple(meta.get("expect", ())),
        _encode(files),
        meta.get("note", ""),
    )


def benign_samples() -> list[Sample]:
    """Every benign connector: rendered services plus hand-written special cases."""
    out: list[Sample] = []
    for meta in json.loads((CORPUS / "benign" / "services.json").read_text()):
        files: dict[str, str | bytes] = dict(_defaults(meta))
        files[f"agent-harness/cli_aos/{_short(meta['name'])}/cli.py"] = _render(meta)
        files.update(_extras(meta))
        out.append(Sample("benign", meta["name"], tuple(meta["permissions"]), (), _encode(files)))
    for folder in sorted((CORPUS / "benign" / "special").iterdir()):
        if (folder / "sample.json").is_file():
            out.append(_from_folder("benign", folder))
    return out


def malicious_samples() -> list[Sample]:
    """Every malicious sample folder."""
    return [
        _from_folder("malicious", folder)
        for folder in sorted((CORPUS / "malicious").iterdir())
        if (folder / "sample.json").is_file()
    ]


def scan_sample(sample: Sample, scanner: PackageScanner | None = None) -> ScanReport:
    """Scan a sample through the library API, as the pipeline would."""
    context = ScanContext(sample.name, REFERENCE_NAMES)
    return (scanner or PackageScanner()).report(sample.files, sample.permissions, context)


def write_folder(sample: Sample, dest: Path, key: Ed25519PrivateKey) -> Path:
    """The sample as a connector folder on disk, its manifest carrying ``key``."""
    for rel, data in sample.files.items():
        path = dest / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if rel == "argent.plugin.json":
            doc = json.loads(data)
            doc["author"]["publicKey"] = public_key_b64(key)
            path.write_text(json.dumps(doc, indent=2))
        else:
            path.write_bytes(data)
    return dest
