"""The author commands as a user runs them: keygen, pack, sign, verify, inspect."""

from __future__ import annotations

import gzip
import io
import json
import os
import stat
import tarfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from argent_marketplace.package.signing import public_key_b64, write_private_key

Argent = Callable[..., Result]


def _json(result: Result) -> dict:
    return json.loads(result.stdout)


def _names(pkg: Path) -> list[str]:
    with tarfile.open(pkg, "r:gz") as tar:
        return tar.getnames()


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["marketplace"],
        ["marketplace", "keygen"],
        ["marketplace", "pack"],
        ["marketplace", "sign"],
        ["marketplace", "verify"],
        ["marketplace", "inspect"],
    ],
)
def test_help_everywhere(argent: Argent, args: list[str]) -> None:
    result = argent(*args, "--help")
    assert result.exit_code == 0
    assert "Usage: argent" in result.stdout


# --- keygen -------------------------------------------------------------------------------


def test_keygen_default_path_and_refusal(argent: Argent, _isolated_home: Path) -> None:
    result = argent("marketplace", "keygen")
    assert result.exit_code == 0, result.output
    path = _isolated_home / "keys" / "marketplace-ed25519.pem"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    pub = result.stdout.strip().splitlines()[-1]
    assert len(pub) == 44 and pub.endswith("=")
    again = argent("marketplace", "keygen")
    assert again.exit_code == 3
    assert again.stderr.startswith("error[key-exists]:")
    assert len(again.stderr.strip().splitlines()) == 1


def test_keygen_json(argent: Argent, tmp_path: Path) -> None:
    result = argent("marketplace", "keygen", "--out", tmp_path / "k.pem", "--json")
    body = _json(result)
    assert body["ok"] is True and body["command"] == "keygen"
    assert set(body["result"]) == {"private_key_path", "public_key", "fingerprint"}
    failed = argent("marketplace", "keygen", "--out", tmp_path / "k.pem", "--json")
    assert failed.exit_code == 3
    assert _json(failed)["error"]["code"] == "key-exists"


# --- pack ---------------------------------------------------------------------------------


def test_pack_default_name_in_cwd(
    argent: Argent, connector: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = tmp_path / "out"
    work.mkdir()
    monkeypatch.chdir(work)
    result = argent("marketplace", "pack", connector)
    assert result.exit_code == 0, result.output
    assert (work / "aos-airtable.argent-pkg").is_file()
    assert "unsigned" in result.stdout


def test_pack_is_reproducible(
    argent: Argent, connector: Path, key_file: Path, tmp_path: Path
) -> None:
    a, b, c = (tmp_path / f"{n}.argent-pkg" for n in "abc")
    assert argent("marketplace", "pack", connector, "-o", a, "--key", key_file).exit_code == 0
    # Another day, another umask, other owners' timestamps: same bytes.
    for path in connector.rglob("*"):
        os.utime(path, (1_900_000_000, 1_900_000_000))
        if path.is_file():
            path.chmod(0o664)
    assert argent("marketplace", "pack", connector, "-o", b, "--key", key_file).exit_code == 0
    assert a.read_bytes() == b.read_bytes()
    raw = a.read_bytes()
    assert raw[3] == 0 and raw[4:8] == b"\0\0\0\0"  # gzip: no name, no time
    with tarfile.open(a, "r:gz") as tar:
        members = tar.getmembers()
    assert [m.name for m in members] == sorted(m.name for m in members)
    assert {(m.uid, m.gid, m.uname, m.gname, m.mtime) for m in members} == {
        (0, 0, "", "", 315532800)
    }
    assert {m.mode for m in members} == {0o644}
    os.environ["SOURCE_DATE_EPOCH"] = "1700000000"
    try:
        assert argent("marketplace", "pack", connector, "-o", c, "--key", key_file).exit_code == 0
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]
    with tarfile.open(c, "r:gz") as tar:
        assert {m.mtime for m in tar.getmembers()} == {1700000000}


def test_pack_leaves_out_junk_and_ignored(argent: Argent, connector: Path, tmp_path: Path) -> None:
    junk = [
        ".venv/lib/x.py", "agent-harness/__pycache__/cli.cpython-311.pyc", "agent-harness/x.pyc",
        ".git/HEAD", ".pytest_cache/v", "agent-harness/aos.egg-info/PKG-INFO", ".DS_Store",
        ".env", "old.argent-pkg", "SHA256SUMS", "SIGNATURE", "dist/aos.whl", "notes/draft.md",
    ]  # fmt: skip
    for rel in junk:
        path = connector / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("junk")
    (connector / "notes" / "keep.md").write_text("keep")
    (connector / ".argentignore").write_text("# build output\ndist/\nnotes/*\n!notes/keep.md\n")
    out = tmp_path / "p.argent-pkg"
    result = argent("marketplace", "pack", connector, "-o", out)
    assert result.exit_code == 0, result.output
    names = _names(out)
    assert "notes/keep.md" in names
    assert not [
        n for n in names if any(n == j or n.startswith(j.split("/")[0] + "/x") for j in junk)
    ]
    assert not set(names) & set(junk)
    assert ".argentignore" not in names


def test_pack_refuses_symlinks(argent: Argent, connector: Path, tmp_path: Path) -> None:
    (connector / "agent-harness" / "link.py").symlink_to("/etc/passwd")
    out = tmp_path / "p.argent-pkg"
    result = argent("marketplace", "pack", connector, "-o", out)
    assert result.exit_code == 3
    assert "error[link-not-allowed]: agent-harness/link.py is a symbolic link" in result.stderr
    assert not out.exists()


def test_pack_refuses_private_keys(argent: Argent, connector: Path, tmp_path: Path) -> None:
    write_private_key(Ed25519PrivateKey.generate(), connector / "agent-harness" / "signing.pem")
    result = argent("marketplace", "pack", connector, "-o", tmp_path / "p.argent-pkg")
    assert result.exit_code == 3
    assert "private-key-in-package" in result.stderr


def test_pack_refuses_a_key_written_into_a_python_string(
    argent: Argent, connector: Path, tmp_path: Path
) -> None:
    pem = tmp_path / "k.pem"
    write_private_key(Ed25519PrivateKey.generate(), pem)
    body = pem.read_text().replace("\n", "\\n")
    (connector / "agent-harness" / "keys.py").write_text(f'KEY = "{body}"\n')
    result = argent("marketplace", "pack", connector, "-o", tmp_path / "p.argent-pkg")
    assert result.exit_code == 3
    assert "private-key-in-package" in result.stderr


def test_pack_takes_code_that_only_names_the_pem_markers(
    argent: Argent, connector: Path, tmp_path: Path
) -> None:
    """A library reading keys mentions the markers in its docstrings: that is no key."""
    (connector / "agent-harness" / "pem.py").write_text(
        'def load(data):\n    """Text before "-----BEGIN RSA PRIVATE KEY-----" and after\n'
        '    the "-----END RSA PRIVATE KEY-----" line is ignored."""\n'
    )
    result = argent("marketplace", "pack", connector, "-o", tmp_path / "p.argent-pkg")
    assert result.exit_code == 0, result.stderr


def test_pack_validates_before_writing(argent: Argent, connector: Path, tmp_path: Path) -> None:
    manifest = connector / "argent.plugin.json"
    doc = json.loads(manifest.read_text())
    doc["author"]["publicKey"] = "abc"
    manifest.write_text(json.dumps(doc))
    out = tmp_path / "p.argent-pkg"
    result = argent("marketplace", "pack", connector, "-o", out)
    assert result.exit_code == 3
    assert result.stderr.startswith("error[invalid-manifest]: author.publicKey: not base64 of 32")
    assert not out.exists()
    assert not list(tmp_path.glob(".p.argent-pkg.*"))  # no temp file left behind


def test_pack_lists_every_manifest_problem_at_once(
    argent: Argent, connector: Path, tmp_path: Path
) -> None:
    """A hand-written manifest with four mistakes takes one run to learn them, not four."""
    manifest = connector / "argent.plugin.json"
    doc = json.loads(manifest.read_text())
    doc.update(version="1.0", category="nope", tags=["BAD TAG"])
    del doc["price_cents"]
    manifest.write_text(json.dumps(doc))
    out = tmp_path / "p.argent-pkg"
    result = argent("marketplace", "pack", connector, "-o", out)
    assert result.exit_code == 3 and not out.exists()
    lines = result.stderr.strip().splitlines()
    assert [line.split(":")[1].strip() for line in lines] == [
        "version",
        "category",
        "tags[0]",
        "price_cents",
    ]
    assert all(line.startswith("error[invalid-manifest]: ") for line in lines)
    assert "price_cents: is missing" in lines[-1]
    as_json = _json(argent("marketplace", "pack", connector, "-o", out, "--json"))
    assert as_json["error"]["details"]["field"] == "version"
    assert [p["details"]["field"] for p in as_json["problems"]] == [
        "version",
        "category",
        "tags[0]",
        "price_cents",
    ]


def test_pack_checks_connector_json(argent: Argent, connector: Path, tmp_path: Path) -> None:
    path = connector / "connector.json"
    doc = json.loads(path.read_text())
    doc["version"] = "0.9.0"
    path.write_text(json.dumps(doc))
    result = argent("marketplace", "pack", connector, "-o", tmp_path / "p.argent-pkg")
    assert result.exit_code == 3
    assert "connector-mismatch" in result.stderr and "bump both files" in result.stderr


def test_pack_missing_manifest(argent: Argent, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = argent("marketplace", "pack", tmp_path / "empty")
    assert result.exit_code == 3
    assert "has no argent.plugin.json" in result.stderr


def test_pack_key_mismatch(argent: Argent, connector: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.pem"
    write_private_key(Ed25519PrivateKey.generate(), other)
    out = tmp_path / "p.argent-pkg"
    result = argent("marketplace", "pack", connector, "-o", out, "--key", other)
    assert result.exit_code == 3
    assert "error[key-mismatch]" in result.stderr
    assert not out.exists()


def test_pack_warns_on_exposed_key(
    argent: Argent, connector: Path, key_file: Path, tmp_path: Path
) -> None:
    key_file.chmod(0o644)
    result = argent(
        "marketplace", "pack", connector, "-o", tmp_path / "p.argent-pkg", "--key", key_file
    )
    assert result.exit_code == 0
    assert "readable by other users" in result.stderr


# --- sign ---------------------------------------------------------------------------------


def test_sign_then_verify(argent: Argent, connector: Path, key_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "p.argent-pkg"
    assert argent("marketplace", "pack", connector, "-o", out).exit_code == 0
    assert argent("marketplace", "verify", out).exit_code == 5
    result = argent("marketplace", "sign", out, "--key", key_file)
    assert result.exit_code == 0, result.output
    assert argent("marketplace", "verify", out).exit_code == 0
    # Same bytes as packing with --key directly.
    direct = tmp_path / "direct.argent-pkg"
    assert argent("marketplace", "pack", connector, "-o", direct, "--key", key_file).exit_code == 0
    assert direct.read_bytes() == out.read_bytes()
    # Re-signing replaces, never duplicates.
    assert argent("marketplace", "sign", out, "--key", key_file).exit_code == 0
    assert _names(out).count("SIGNATURE") == 1


def test_sign_with_wrong_key_leaves_package(
    argent: Argent, signed_package: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other.pem"
    write_private_key(Ed25519PrivateKey.generate(), other)
    before = signed_package.read_bytes()
    result = argent("marketplace", "sign", signed_package, "--key", other)
    assert result.exit_code == 3 and "key-mismatch" in result.stderr
    assert signed_package.read_bytes() == before


def test_sign_to_other_output(
    argent: Argent, connector: Path, key_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "p.argent-pkg"
    argent("marketplace", "pack", connector, "-o", out)
    before = out.read_bytes()
    signed = tmp_path / "s.argent-pkg"
    assert argent("marketplace", "sign", out, "--key", key_file, "-o", signed).exit_code == 0
    assert out.read_bytes() == before
    assert argent("marketplace", "verify", signed).exit_code == 0


def test_sign_refuses_unsafe_archive(argent: Argent, key_file: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.argent-pkg"
    bad.write_bytes(b"PK\x03\x04zip")
    result = argent("marketplace", "sign", bad, "--key", key_file)
    assert result.exit_code == 4 and "unsupported-format" in result.stderr


# --- verify -------------------------------------------------------------------------------


def _tamper(pkg: Path, out: Path, name: str, data: bytes) -> Path:
    buf = io.BytesIO()
    with tarfile.open(pkg, "r:gz") as src, tarfile.open(fileobj=buf, mode="w") as dst:
        for member in src.getmembers():
            f = src.extractfile(member)
            assert f is not None
            content = data if member.name == name else f.read()
            member.size = len(content)
            dst.addfile(member, io.BytesIO(content))
    out.write_bytes(gzip.compress(buf.getvalue()))
    return out


def test_verify_ok_and_json(argent: Argent, signed_package: Path, key: Ed25519PrivateKey) -> None:
    result = argent("marketplace", "verify", signed_package)
    assert result.exit_code == 0
    assert result.stdout.startswith("OK aos-airtable 1.0.0")
    body = _json(argent("marketplace", "verify", signed_package, "--json"))
    assert body["ok"] and body["result"]["signature"] == "valid"
    assert body["result"]["problems"] == []
    pinned = argent("marketplace", "verify", signed_package, "--public-key", public_key_b64(key))
    assert pinned.exit_code == 0


def test_verify_tampered(argent: Argent, signed_package: Path, tmp_path: Path) -> None:
    bad = _tamper(signed_package, tmp_path / "t.argent-pkg", "README.md", b"# pwned\n")
    result = argent("marketplace", "verify", bad)
    assert result.exit_code == 5
    line = result.stderr.strip()
    assert line.startswith("error[checksum-mismatch]: README.md does not match")
    assert "\n" not in line


def test_verify_json_lists_all_problems(
    argent: Argent, signed_package: Path, tmp_path: Path
) -> None:
    bad = _tamper(signed_package, tmp_path / "t.argent-pkg", "README.md", b"# pwned\n")
    bad = _tamper(bad, tmp_path / "t2.argent-pkg", "connector.json", b"{}")
    result = argent("marketplace", "verify", bad, "--json")
    body = _json(result)
    assert result.exit_code == 3  # the first problem (connector.json rules) decides the code
    assert body["ok"] is False
    codes = [p["code"] for p in body["problems"]]
    assert codes.count("checksum-mismatch") == 2
    assert "invalid-connector" in codes
    assert body["error"] == body["problems"][0]


def test_verify_other_key(argent: Argent, signed_package: Path) -> None:
    other = public_key_b64(Ed25519PrivateKey.generate())
    result = argent("marketplace", "verify", signed_package, "--public-key", other)
    assert result.exit_code == 5 and "key-mismatch" in result.stderr
    bad = argent("marketplace", "verify", signed_package, "--public-key", "nope")
    assert bad.exit_code == 3 and "--public-key: not base64" in bad.stderr


def test_verify_unsafe_archive(argent: Argent, tmp_path: Path) -> None:
    pkg = tmp_path / "x.argent-pkg"
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        info = tarfile.TarInfo("../../etc/cron.d/x")
        tar.addfile(info, io.BytesIO(b""))
    pkg.write_bytes(gzip.compress(buf.getvalue()))
    result = argent("marketplace", "verify", pkg)
    assert result.exit_code == 4
    assert result.stderr.startswith("error[path-traversal]:")


def test_verify_missing_file(argent: Argent, tmp_path: Path) -> None:
    result = argent("marketplace", "verify", tmp_path / "nope.argent-pkg")
    assert result.exit_code == 4
    assert "cannot open" in result.stderr and "nope.argent-pkg" in result.stderr


# --- inspect ------------------------------------------------------------------------------


def test_inspect(argent: Argent, signed_package: Path) -> None:
    result = argent("marketplace", "inspect", signed_package)
    assert result.exit_code == 0
    out = result.stdout
    assert "Signature: valid" in out and '"name": "aos-airtable"' in out
    assert "agent-harness/cli_aos/airtable/cli.py" in out
    body = _json(argent("marketplace", "inspect", signed_package, "--json"))
    files = {f["path"]: f for f in body["result"]["files"]}
    assert files["README.md"]["size"] > 0 and len(files["README.md"]["sha256"]) == 64


def test_inspect_unsigned_and_tampered(
    argent: Argent, connector: Path, signed_package: Path, tmp_path: Path
) -> None:
    out = tmp_path / "u.argent-pkg"
    argent("marketplace", "pack", connector, "-o", out)
    assert "Signature: unsigned" in argent("marketplace", "inspect", out).stdout
    bad = _tamper(signed_package, tmp_path / "t.argent-pkg", "README.md", b"x")
    result = argent("marketplace", "inspect", bad)
    assert result.exit_code == 0
    assert "checksum-mismatch" in result.stdout


def test_unexpected_errors_are_one_line(argent: Argent, tmp_path: Path) -> None:
    folder = tmp_path / "f"
    folder.mkdir()
    (folder / "argent.plugin.json").write_bytes(b"\xff")
    result = argent("marketplace", "pack", folder)
    assert result.exit_code == 3
    assert result.stderr.count("\n") == 1
