"""Failures as a user meets them: one line, the documented exit code, never a traceback."""

from __future__ import annotations

import json
import os
import stat
import tarfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from argent_marketplace.client import author_commands as cli_module
from argent_marketplace.client.cli import cli
from argent_marketplace.package.errors import SourceError
from argent_marketplace.package.limits import Limits
from argent_marketplace.package.signing import write_private_key
from argent_marketplace.package.writer import pack_folder

Argent = Callable[..., Result]


def _one_error(result: Result, code: str, exit_code: int) -> str:
    assert result.exit_code == exit_code, result.output
    line = result.stderr
    assert line.startswith(f"error[{code}]: "), line
    assert line.count("\n") == 1, line
    return line


# --- pack: reading the folder (M4) --------------------------------------------------------


def test_pack_refuses_a_fifo_without_blocking(
    argent: Argent, connector: Path, tmp_path: Path
) -> None:
    os.mkfifo(connector / "agent-harness" / "fifo")
    result = argent("marketplace", "pack", connector, "-o", tmp_path / "p.argent-pkg")
    line = _one_error(result, "unsupported-member-type", 3)
    assert "agent-harness/fifo is not a regular file" in line


def test_pack_refuses_a_file_swapped_for_a_link_after_the_walk(
    argent: Argent, connector: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The race of /tmp/rv/race.py: lstat sees a file, then it becomes a symlink."""
    readme = connector / "README.md"
    original = Path.lstat

    def lstat_then_swap(self: Path) -> os.stat_result:
        result = original(self)
        if self == readme and not os.path.islink(self):
            self.unlink()
            self.symlink_to("/etc/hostname")
        return result

    monkeypatch.setattr(Path, "lstat", lstat_then_swap)
    out = tmp_path / "p.argent-pkg"
    result = argent("marketplace", "pack", connector, "-o", out)
    _one_error(result, "link-not-allowed", 3)
    assert not out.exists()


def test_pack_reports_an_unreadable_folder(
    argent: Argent, connector: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """os.walk skips folders it cannot list; pack must stop instead of leaving files out."""
    real_scandir = os.scandir
    denied = connector / "agent-harness" / "cli_aos"

    def scandir(path: object = ".") -> object:
        if Path(str(path)) == denied:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", scandir)
    result = argent("marketplace", "pack", connector, "-o", tmp_path / "p.argent-pkg")
    line = _one_error(result, "unreadable-source", 3)
    assert "cli_aos" in line and "Permission denied" in line


def test_pack_reports_an_unreadable_file(
    argent: Argent, connector: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_open = os.open
    target = connector / "README.md"

    def deny(path: object, flags: int, *args: int, **kwargs: object) -> int:
        if Path(str(path)) == target:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", deny)
    result = argent("marketplace", "pack", connector, "-o", tmp_path / "p.argent-pkg")
    line = _one_error(result, "unreadable-source", 3)
    assert "cannot read README.md: Permission denied" in line


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_pack_reports_a_file_without_read_permission(
    argent: Argent, connector: Path, tmp_path: Path
) -> None:
    (connector / "README.md").chmod(0)
    result = argent("marketplace", "pack", connector, "-o", tmp_path / "p.argent-pkg")
    _one_error(result, "unreadable-source", 3)


def test_pack_reads_no_further_than_the_byte_budget(
    connector: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file bigger than what is left of the budget is refused after budget + 1 bytes."""
    big = connector / "agent-harness" / "big.bin"
    big.write_bytes(b"x" * 300_000)
    got: list[int] = []
    real_read = os.read

    def read(fd: int, n: int) -> bytes:
        data = real_read(fd, n)
        got.append(len(data))
        return data

    monkeypatch.setattr(os, "read", read)
    limits = Limits(max_uncompressed_bytes=100_000)
    with pytest.raises(SourceError) as info:
        pack_folder(connector, tmp_path / "p.argent-pkg", limits=limits)
    assert info.value.code == "source-too-large"
    assert sum(got) <= limits.max_uncompressed_bytes + 1  # all files together, big.bin cut


def test_pack_member_limit_keeps_room_for_the_signing_files(
    connector: Path, key: Ed25519PrivateKey, tmp_path: Path
) -> None:
    files = sum(1 for p in connector.rglob("*") if p.is_file())
    with pytest.raises(SourceError) as info:
        pack_folder(connector, tmp_path / "a.argent-pkg", key, Limits(max_members=files + 1))
    assert info.value.code == "source-too-large"
    result = pack_folder(connector, tmp_path / "b.argent-pkg", key, Limits(max_members=files + 2))
    assert result.signed


def test_folder_too_large_to_pack_is_invalid_input_naming_the_limit(
    argent: Argent, connector: Path, tmp_path: Path
) -> None:
    """M4: the built package breaks the 5 MiB compressed cap: exit 3 (the folder), not 4."""
    (connector / "agent-harness" / "blob.bin").write_bytes(os.urandom(6 * 1024 * 1024))
    out = tmp_path / "p.argent-pkg"
    result = argent("marketplace", "pack", connector, "-o", out)
    line = _one_error(result, "package-too-large", 3)
    assert "limit max_compressed_bytes = 5242880" in line
    assert not out.exists()


def test_private_key_beyond_the_first_64_kib_is_found(
    argent: Argent, connector: Path, tmp_path: Path
) -> None:
    """L6: the whole file is scanned, so the README's promise holds."""
    pem = tmp_path / "k.pem"
    write_private_key(Ed25519PrivateKey.generate(), pem)
    notes = connector / "agent-harness" / "notes.txt"
    notes.write_bytes(b"x" * 100_000 + b"\n" + pem.read_bytes())
    result = argent("marketplace", "pack", connector, "-o", tmp_path / "p.argent-pkg")
    _one_error(result, "private-key-in-package", 3)


# --- pack: arguments and environment (L2, L3) -----------------------------------------------


@pytest.mark.parametrize("kind", ["missing", "file"])
def test_pack_of_something_that_is_not_a_folder(argent: Argent, tmp_path: Path, kind: str) -> None:
    path = tmp_path / "nonexist"
    if kind == "file":
        path.write_text("x")
    result = argent("marketplace", "pack", path)
    line = _one_error(result, "not-a-folder", 3)
    assert f"{path} is not a folder" in line


def test_pack_non_utf8_ignore_file(argent: Argent, connector: Path, tmp_path: Path) -> None:
    (connector / ".argentignore").write_bytes(b"dist/\n\xff\xfe\n")
    result = argent("marketplace", "pack", connector, "-o", tmp_path / "p.argent-pkg")
    line = _one_error(result, "invalid-ignore-file", 3)
    assert ".argentignore is not UTF-8" in line


def test_pack_file_name_that_is_not_utf8(argent: Argent, connector: Path, tmp_path: Path) -> None:
    bad = os.fsencode(connector / "agent-harness") + b"/bad\xff.py"
    with open(bad, "wb") as fh:  # a bytes path: pathlib cannot spell it
        fh.write(b"print(1)\n")
    result = argent("marketplace", "pack", connector, "-o", tmp_path / "p.argent-pkg")
    line = _one_error(result, "invalid-name", 3)
    assert "not valid UTF-8" in line and "\\udcff" in line


def test_pack_key_that_is_a_folder(argent: Argent, connector: Path, tmp_path: Path) -> None:
    (tmp_path / "adir").mkdir()
    result = argent("marketplace", "pack", connector, "--key", tmp_path / "adir")
    _one_error(result, "key-unreadable", 3)


@pytest.mark.parametrize("value", ["abc", "-1", "1.5", str(8**11), "\u0661\u0662"])
def test_pack_invalid_source_date_epoch(
    argent: Argent, connector: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    out = tmp_path / "p.argent-pkg"
    result = argent("marketplace", "pack", connector, "-o", out)
    _one_error(result, "invalid-source-date-epoch", 3)
    assert not out.exists()


def test_pack_largest_source_date_epoch(
    argent: Argent, connector: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(8**11 - 1))
    out = tmp_path / "p.argent-pkg"
    assert argent("marketplace", "pack", connector, "-o", out).exit_code == 0
    with tarfile.open(out, "r:gz") as tar:
        assert {m.mtime for m in tar.getmembers()} == {8**11 - 1}


@pytest.mark.parametrize("kind", ["folder", "fifo"])
def test_pack_and_sign_refuse_an_output_that_is_not_a_file(
    argent: Argent, connector: Path, key_file: Path, signed_package: Path, tmp_path: Path, kind: str
) -> None:
    """L3: -o naming a folder or a FIFO is refused, and the special file is left alone."""
    out = tmp_path / "special"
    if kind == "folder":
        out.mkdir()
    else:
        os.mkfifo(out)
    for args in (("pack", connector), ("sign", signed_package, "--key", key_file)):
        result = argent("marketplace", *args, "-o", out)
        line = _one_error(result, "invalid-output", 6)
        assert str(out) in line
    assert (
        stat.S_ISDIR(out.lstat().st_mode)
        if kind == "folder"
        else stat.S_ISFIFO(out.lstat().st_mode)
    )


# --- keygen (L2) ------------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["parent-is-a-file", "in-proc", "is-a-folder"])
def test_keygen_unwritable_out_is_local_io(argent: Argent, tmp_path: Path, where: str) -> None:
    (tmp_path / "file").write_text("x")
    (tmp_path / "folder").mkdir()
    out = {
        "parent-is-a-file": tmp_path / "file" / "k.pem",
        "in-proc": Path("/proc/argent-test/k.pem"),
        "is-a-folder": tmp_path / "folder",
    }[where]
    result = argent("marketplace", "keygen", "--out", out)
    line = _one_error(result, "write-failed", 6)
    assert str(out) in line


# --- output: untrusted text, encodings, Ctrl-C (M2, L6) ---------------------------------------


def test_inspect_escapes_control_and_bidi_characters(
    argent: Argent, connector: Path, tmp_path: Path
) -> None:
    """x- fields are free-form; what reaches the terminal shows escapes, not escapes' effects."""
    manifest = connector / "argent.plugin.json"
    doc = json.loads(manifest.read_text())
    doc["x-note"] = "ok \u202egnp.exe \x9b2J \u2066"
    manifest.write_text(json.dumps(doc, ensure_ascii=False))
    out = tmp_path / "p.argent-pkg"
    assert argent("marketplace", "pack", connector, "-o", out).exit_code == 0
    result = argent("marketplace", "inspect", out)
    assert result.exit_code == 0
    assert "ok \\u202egnp.exe \\x9b2J \\u2066" in result.stdout
    for char in ("\u202e", "\x9b", "\u2066", "\x1b"):
        assert char not in result.stdout


def test_output_to_an_ascii_terminal_never_crashes(connector: Path, tmp_path: Path) -> None:
    """Text the stream cannot encode is written as escapes, not a UnicodeEncodeError."""
    out = tmp_path / "p.argent-pkg"
    runner = CliRunner(charset="ascii")
    packed = runner.invoke(cli, ["marketplace", "pack", str(connector), "-o", str(out)])
    assert packed.exit_code == 0, packed.output
    result = runner.invoke(cli, ["marketplace", "inspect", str(out)], catch_exceptions=False)
    assert result.exit_code == 0
    assert "Airtable \\u2014 bases" in result.stdout  # the em dash of the description


def test_error_lines_stay_one_line_whatever_the_path(argent: Argent, tmp_path: Path) -> None:
    weird = tmp_path / "a\nb\x1b[31m"
    result = argent("marketplace", "verify", weird)
    line = _one_error(result, "unreadable-package", 4)
    assert "a\\nb\\x1b[31m" in line


@pytest.mark.parametrize("as_json", [True, False])
def test_ctrl_c_is_reported_in_the_documented_shape(
    argent: Argent, connector: Path, monkeypatch: pytest.MonkeyPatch, as_json: bool
) -> None:
    def interrupted(*_args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli_module, "pack_folder", interrupted)
    result = argent("marketplace", "pack", connector, *(["--json"] if as_json else []))
    assert result.exit_code == 130
    if as_json:
        body = json.loads(result.stdout)
        assert body == {
            "ok": False,
            "command": "pack",
            "error": {
                "code": "interrupted",
                "message": "interrupted (Ctrl-C)",
                "hint": "run the command again",
            },
        }
    else:
        _one_error(result, "interrupted", 130)
