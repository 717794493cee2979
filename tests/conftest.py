"""Shared fixtures: a real connector folder, real keys, the real CLI."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from argent_marketplace.client.cli import cli
from argent_marketplace.package.signing import (
    generate_private_key,
    public_key_b64,
    write_private_key,
)
from tests.support.services import (
    S3_ACCESS_KEY,
    S3_SECRET_KEY,
    postgres_database,
    seaweedfs,
)

# The example connector of the README doubles as the test connector: one copy of the truth.
EXAMPLE = Path(__file__).parents[1] / "examples" / "aos-airtable"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own ARGENTOS_HOME and no SOURCE_DATE_EPOCH from the shell."""
    home = tmp_path / "argentos-home"
    monkeypatch.setenv("ARGENTOS_HOME", str(home))
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    return home


@pytest.fixture
def key() -> Ed25519PrivateKey:
    return generate_private_key()


@pytest.fixture
def key_file(tmp_path: Path, key: Ed25519PrivateKey) -> Path:
    path = tmp_path / "keys" / "author.pem"
    write_private_key(key, path)
    return path


def make_connector(dest: Path, key: Ed25519PrivateKey, **manifest: Any) -> Path:
    """Copy the example connector to ``dest`` with the author key (and overrides) set.

    An override of ``...`` removes that manifest field.
    """
    shutil.copytree(EXAMPLE, dest)
    path = dest / "argent.plugin.json"
    doc = json.loads(path.read_text())
    doc["author"]["publicKey"] = public_key_b64(key)
    doc.update({k: v for k, v in manifest.items() if v is not ...})
    for removed in [k for k, v in manifest.items() if v is ...]:
        doc.pop(removed, None)
    path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    return dest


@pytest.fixture
def connector(tmp_path: Path, key: Ed25519PrivateKey) -> Path:
    return make_connector(tmp_path / "aos-airtable", key)


@pytest.fixture
def valid_manifest(key: Ed25519PrivateKey) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads((EXAMPLE / "argent.plugin.json").read_text())
    doc["author"]["publicKey"] = public_key_b64(key)
    return doc


@pytest.fixture
def argent() -> Callable[..., Result]:
    """Run ``argent ...`` in-process through Click, as a user would type it."""
    runner = CliRunner()

    def run(*args: str | Path) -> Result:
        return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)

    return run


@pytest.fixture
def signed_package(tmp_path: Path, connector: Path, key_file: Path, argent: Any) -> Path:
    out = tmp_path / "aos-airtable.argent-pkg"
    result = argent("marketplace", "pack", connector, "-o", out, "--key", key_file)
    assert result.exit_code == 0, result.output
    return out


# --- backing services, one instance per test session (shared by every test package) ---


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    with postgres_database() as url:
        yield url


@pytest.fixture(scope="session")
def s3_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with seaweedfs(tmp_path_factory.mktemp("seaweedfs")) as endpoint:
        yield endpoint


@pytest.fixture
def s3_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", S3_ACCESS_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", S3_SECRET_KEY)
