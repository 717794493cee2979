"""Hostile archives against the one safe reader (SECURITY-CASES.md, section A).

Every archive here is built byte by byte with :mod:`tests.package.tarcraft`, so
the reader sees exactly what an attacker would send, including what Python's
``tarfile`` refuses to write. Each rejection is checked by its stable error
code, and every rejected case is also pushed through ``extract_package`` to show
that nothing is left on disk, inside or outside the staging folder.
"""

from __future__ import annotations

import bz2
import gzip
import hashlib
import io
import itertools
import lzma
import os
import random
import subprocess
import sys
import tarfile
import textwrap
import threading
import time
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from functools import cache, partial
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from argent_marketplace.package.errors import ArchiveError, ExtractError
from argent_marketplace.package.extract import extract_package
from argent_marketplace.package.limits import DEFAULT_LIMITS, Limits
from argent_marketplace.package.names import is_within
from argent_marketplace.package.reader import ArchiveListing, MemberInfo, read_archive
from argent_marketplace.package.writer import ArchiveEntry, build_archive

from . import tarcraft as tc

MiB = 1024 * 1024
DEADLINE = 5.0  # seconds; a hang guard, not a benchmark

Builder = Callable[[], bytes]


# --------------------------------------------------------------------------- helpers


class _Collect:
    """A sink that keeps one member's bytes."""

    def __init__(self, info: MemberInfo, out: dict[str, bytes]) -> None:
        self.info, self.out, self.buf = info, out, bytearray()

    def write(self, chunk: bytes) -> None:
        self.buf += chunk

    def close(self) -> None:
        self.out[self.info.path] = bytes(self.buf)


def read_all(source: object, limits: Limits = DEFAULT_LIMITS) -> tuple[ArchiveListing, dict]:
    """The listing plus every file's content."""
    out: dict[str, bytes] = {}
    listing = read_archive(source, lambda info: _Collect(info, out), limits)  # type: ignore[arg-type]
    return listing, out


def within_deadline(fn: Callable[[], object], seconds: float = DEADLINE) -> object:
    """Run ``fn`` in a daemon thread; fail if it has not finished in ``seconds``.

    ``ArchiveError`` is re-raised here; any other exception escapes the thread
    and fails the test through pytest's unhandled-thread-exception warning.
    """
    box: dict[str, object] = {}

    def run() -> None:
        try:
            box["value"] = fn()
        except ArchiveError as exc:
            box["error"] = exc

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), f"the reader did not finish within {seconds} s"
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    assert "value" in box, "the reader raised something other than ArchiveError"
    return box["value"]


def rejection(source: object, limits: Limits = DEFAULT_LIMITS) -> ArchiveError:
    """The ArchiveError the reader raises for ``source`` (within the deadline)."""
    with pytest.raises(ArchiveError) as info:
        within_deadline(lambda: read_archive(source, limits=limits))  # type: ignore[arg-type]
    return info.value


def tree(root: Path) -> list[str]:
    """Every path below ``root`` (files, folders and links), relative, sorted."""
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))


def tarfile_view(data: bytes) -> list[tuple[str, str, int, bytes]]:
    """What Python's own streaming tar reader sees: (name, kind, size, content)."""
    out = []
    with tarfile.open(fileobj=io.BytesIO(data), mode="r|gz") as tf:
        for m in tf:
            kind = "dir" if m.isdir() else "file" if m.isreg() else f"type {m.type!r}"
            body = b""
            if m.isreg():
                fh = tf.extractfile(m)
                assert fh is not None
                body = fh.read()
            out.append((m.name, kind, m.size, body))
    return out


def reader_view(data: bytes) -> list[tuple[str, str, int, bytes]]:
    """The same shape from our reader."""
    listing, content = read_all(data)
    return [(m.path, m.kind, m.size, content.get(m.path, b"")) for m in listing.members]


def p(builder: Builder, code: str, limits: Limits = DEFAULT_LIMITS, *, id: str) -> object:
    return pytest.param(builder, code, limits, id=id)


def archive(*parts: bytes, eof: bool = True) -> Builder:
    """A builder for ``targz(*parts)``; the bytes are made when the test runs."""
    return partial(tc.targz, *parts, eof=eof)


def lazy(fn: Callable[[], bytes]) -> Builder:
    return cache(fn)


# Four ways an archive can carry a member name. A check that only looks at one of
# them is a bypass waiting to happen, so name rules are tested through each.


def _via_ustar(name: str) -> bytes:
    return tc.targz(tc.member(name, b"x"))


def _via_prefix(name: str) -> bytes:
    prefix, _, base = name.rpartition("/")
    return tc.targz(tc.member(base, b"x", prefix=prefix))


def _via_pax(name: str | bytes) -> bytes:
    return tc.targz(tc.pax({"path": name}), tc.member("placeholder", b"x"))


def _via_longname(name: str) -> bytes:
    return tc.targz(tc.gnu_longname(name), tc.member("placeholder", b"x"))


def name_cases(names: list[str], code: str, limits: Limits = DEFAULT_LIMITS) -> Iterator[object]:
    for name in names:
        raw = name.encode("utf-8")
        prefix, slash, base = name.rpartition("/")
        channels: dict[str, Callable[[str], bytes]] = {"pax": _via_pax}
        if len(raw) <= 100 and "\x00" not in name:
            channels["ustar"] = _via_ustar
        if slash and prefix and base and len(prefix.encode()) <= 155 and len(base.encode()) <= 100:
            channels["prefix"] = _via_prefix
        if "\x00" not in name:
            channels["gnu-L"] = _via_longname
        shown = ascii(name)[1:-1]
        shown = shown if len(shown) <= 40 else f"{shown[:20]}...{len(raw)}B"
        for channel, fn in sorted(channels.items()):
            yield p(partial(fn, name), code, limits, id=f"{channel}:{shown}")


# --------------------------------------------------------------------------- A1, A2

A1_NAMES = ["/etc/x", "//x", "/./x", "/", "/etc/../x"]
A2_NAMES = [
    "../x",
    "a/../../x",
    "a/./../..",
    "..\\x",
    "C:\\x",
    "C:x",
    "\\\\server\\share\\x",
    "..",
    "a/..",
    "c:/x",
    "a\\..\\..\\x",
    "a:b",  # drive-relative on Windows
]
A1_CASES = list(name_cases(A1_NAMES, "absolute-path"))
A2_CASES = list(name_cases(A2_NAMES, "path-traversal"))


@pytest.mark.parametrize(("build", "code", "limits"), A1_CASES)
def test_a1_absolute_paths_are_rejected_not_stripped(build: Builder, code: str, limits: Limits):
    assert rejection(build(), limits).code == code


@pytest.mark.parametrize(("build", "code", "limits"), A2_CASES)
def test_a2_traversal_drive_and_unc_paths_are_rejected(build: Builder, code: str, limits: Limits):
    assert rejection(build(), limits).code == code


# --------------------------------------------------------------------------- A3, A4

A3_CASES = [
    p(archive(tc.member("a.txt", b"hi"), tc.symlink("link", "a.txt")), "link-not-allowed",
      id="symlink-to-sibling"),
    p(archive(tc.symlink("passwd", "/etc/passwd")), "link-not-allowed", id="symlink-absolute"),
    p(archive(tc.member("a.txt", b"hi"), tc.hardlink("b.txt", "a.txt")), "link-not-allowed",
      id="hardlink-to-sibling"),
    p(archive(tc.hardlink("b", "../../etc/passwd")), "link-not-allowed", id="hardlink-outside"),
    p(archive(tc.pax({"linkpath": "/etc"}), tc.symlink("l", "x")), "link-not-allowed",
      id="symlink-pax-linkpath"),
    p(archive(tc.header("././@LongLink", typeflag=b"K", magic=tc.GNU_MAGIC)),
      "link-not-allowed", id="gnu-K-longlink"),
    p(archive(tc.symlink("s", "/etc/passwd"), tc.hardlink("h", "s")), "link-not-allowed",
      id="hardlink-to-symlink"),
]  # fmt: skip

A4_CASES = [
    p(archive(tc.symlink("d", ".."), tc.member("d/x", b"escaped")), "link-not-allowed",
      id="symlink-dotdot-then-file"),
    p(archive(tc.symlink("", ".."), tc.symlink("", ".."), tc.member("x", b"escaped")),
      "link-not-allowed", id="empty-name-symlink-chain"),
    p(archive(tc.symlink("a", "."), tc.symlink("a/b", ".."), tc.symlink("a/b/c", "../.."),
              tc.member("a/b/c/escaped", b"escaped")),
      "link-not-allowed", id="symlink-chain"),
    p(archive(tc.member("ok.txt", b"fine"), tc.symlink("d", "../.."), tc.member("d/x", b"boo")),
      "link-not-allowed", id="file-written-before-escape"),
]  # fmt: skip


@pytest.mark.parametrize(("build", "code", "limits"), A3_CASES)
def test_a3_links_are_rejected_even_inside(build: Builder, code: str, limits: Limits):
    assert rejection(build(), limits).code == code


@pytest.mark.parametrize(("build", "code", "limits"), A4_CASES)
def test_a4_symlink_escape_writes_nothing_outside_staging(
    build: Builder, code: str, limits: Limits, tmp_path: Path
):
    assert rejection(build(), limits).code == code
    outer = tmp_path / "outer"
    outer.mkdir()
    stage = outer / "stage"
    with pytest.raises(ArchiveError) as info:
        extract_package(build(), stage, limits)
    assert info.value.code == code
    assert not stage.exists() and not stage.is_symlink()
    assert tree(tmp_path) == ["outer"]


# --------------------------------------------------------------------------- A5

A5_CASES = [
    p(archive(tc.header("tty", typeflag=b"3")), "unsupported-member-type", id="char-device"),
    p(archive(tc.header("sda", typeflag=b"4")), "unsupported-member-type", id="block-device"),
    p(archive(tc.header("pipe", typeflag=b"6")), "unsupported-member-type", id="fifo"),
    p(archive(tc.member("c", b"data", typeflag=b"7")), "unsupported-member-type",
      id="contiguous-7"),
    p(archive(tc.member("s", b"data", typeflag=b"S", magic=tc.GNU_MAGIC)),
      "unsupported-member-type", id="gnu-sparse-S"),
    p(archive(tc.member("z", b"data", typeflag=b"Z")), "unsupported-member-type",
      id="unknown-Z"),
    p(archive(tc.member("v", typeflag=b"V", magic=tc.GNU_MAGIC)), "unsupported-member-type",
      id="gnu-volume-label-V"),
    p(archive(tc.member("m", b"data", typeflag=b"M", magic=tc.GNU_MAGIC)),
      "unsupported-member-type", id="gnu-multivolume-M"),
    p(archive(tc.member("d", b"", typeflag=b"D", magic=tc.GNU_MAGIC)),
      "unsupported-member-type", id="gnu-dumpdir-D"),
    p(archive(tc.pax({"GNU.sparse.major": "1", "GNU.sparse.minor": "0"}),
              tc.member("sparse", b"data")),
      "unsupported-member-type", id="pax-gnu-sparse-1.0"),
    p(archive(tc.pax({"path": "evil"}, typeflag=b"g"), tc.member("a", b"x")),
      "unsupported-member-type", id="global-pax-renames"),
    p(archive(tc.pax({"size": "1"}, typeflag=b"g"), tc.member("a", b"x")),
      "unsupported-member-type", id="global-pax-resizes"),
]  # fmt: skip


@pytest.mark.parametrize(("build", "code", "limits"), A5_CASES)
def test_a5_special_member_types_are_rejected(build: Builder, code: str, limits: Limits):
    assert rejection(build(), limits).code == code


# --------------------------------------------------------------------------- A6

A6_CASES = [
    p(archive(tc.member("suid", b"#!", mode=0o4755)), "unsafe-mode", id="file-04755"),
    p(archive(tc.member("sgid", b"#!", mode=0o2755)), "unsafe-mode", id="file-02755"),
    p(archive(tc.member("sticky", b"x", mode=0o1777)), "unsafe-mode", id="file-01777"),
    p(archive(tc.member("all", b"x", mode=0o7777)), "unsafe-mode", id="file-07777"),
    p(archive(tc.directory("tmp/", mode=0o1777)), "unsafe-mode", id="dir-01777"),
    p(archive(tc.directory("g/", mode=0o2755)), "unsafe-mode", id="dir-02755"),
]  # fmt: skip


@pytest.mark.parametrize(("build", "code", "limits"), A6_CASES)
def test_a6_setuid_setgid_sticky_are_rejected(build: Builder, code: str, limits: Limits):
    assert rejection(build(), limits).code == code


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        (0o666, 0o644),
        (0o700, 0o755),
        (0o000, 0o644),
        (0o640, 0o644),
        (0o777, 0o755),
        (0o100, 0o755),
        (0o010, 0o755),
        (0o100644, 0o644),  # st_mode-style type bits some writers leave in
    ],
    ids=oct,
)
def test_a6_modes_are_normalised_on_disk(stored: int, expected: int, tmp_path: Path):
    data = tc.targz(tc.member("bin/tool", b"#!/bin/sh\n", mode=stored))
    (member,) = read_archive(data).members
    assert member.mode == expected
    stage = tmp_path / "stage"
    extract_package(data, stage)
    assert os.stat(stage / "bin" / "tool").st_mode & 0o7777 == expected


# --------------------------------------------------------------------------- A7, A8

A7_CASES = [
    p(archive(tc.member("a", b"1"), tc.member("a", b"2")), "duplicate-member", id="identical"),
    p(archive(tc.member("./a", b"1"), tc.member("a", b"2")), "duplicate-member",
      id="dot-slash-alias"),
    p(archive(tc.directory("d/"), tc.directory("d/")), "duplicate-member", id="dir-twice"),
    p(archive(tc.member("a", b"1"), tc.directory("a/")), "duplicate-member",
      id="file-then-dir-same-name"),
    p(archive(tc.pax({"path": "x/" + "n" * 120}), tc.member("p1", b"1"),
              tc.pax({"path": "x/" + "n" * 120}), tc.member("p2", b"2")),
      "duplicate-member", id="pax-path-twice"),
]  # fmt: skip

A8_CASES = [
    p(archive(tc.member("Foo.py", b"1"), tc.member("foo.py", b"2")), "name-collision",
      id="case-fold"),
    p(archive(tc.member("Dir/a", b"1"), tc.member("dir/a", b"2")), "name-collision",
      id="case-fold-in-folder"),
    p(archive(tc.member("caf\u00e9.py", b"1"), tc.member("cafe\u0301.py", b"2")),
      "name-collision", id="nfc-then-nfd"),
    p(archive(tc.member("cafe\u0301.py", b"1"), tc.member("CAF\u00c9.py", b"2")),
      "name-collision", id="nfd-then-upper-nfc"),
    p(archive(tc.member("stra\u00dfe", b"1"), tc.member("STRASSE", b"2")), "name-collision",
      id="sharp-s-casefold"),
    p(archive(tc.member("\u212a.txt", b"1"), tc.member("k.txt", b"2")), "name-collision",
      id="kelvin-sign"),
    p(archive(tc.member("a", b"1"), tc.member("a/b", b"2")), "path-conflict",
      id="file-then-child"),
    p(archive(tc.member("a/b", b"1"), tc.member("a", b"2")), "path-conflict",
      id="child-then-file"),
    p(archive(tc.member("A", b"1"), tc.member("a/b", b"2")), "path-conflict",
      id="file-then-child-other-case"),
    p(archive(tc.member("a", b"1"), tc.directory("a/b/")), "path-conflict",
      id="file-then-subdir"),
    p(archive(tc.directory("d/"), tc.member("D", b"x")), "name-collision",
      id="dir-then-file-other-case"),
]  # fmt: skip


@pytest.mark.parametrize(("build", "code", "limits"), A7_CASES)
def test_a7_duplicate_members_are_rejected(build: Builder, code: str, limits: Limits):
    assert rejection(build(), limits).code == code


@pytest.mark.parametrize(("build", "code", "limits"), A8_CASES)
def test_a8_case_and_unicode_collisions_are_rejected(build: Builder, code: str, limits: Limits):
    assert rejection(build(), limits).code == code


# --------------------------------------------------------------------------- A9

A9_NAMES = [
    "a\x01b",
    "\x1b[31mred",
    "tab\there",
    "new\nline",
    "carriage\rreturn",
    "del\x7f",
    "a\\b",
    "dir\\file.py",
    "trailing.",
    "dir./x",
    "trailing ",
    "dir /x",
    "file:stream",
    "x.py::$DATA",
    "CON",
    "NUL.py",
    "com1",
    "Lpt9.txt",
    "aux",
    "dir/PRN/x",
    "CONIN$",
    "COM\u00b9",
    "con .txt",
    "what?",
    "star*",
    "pipe|",
    'quo"te',
    "<lt",
    "gt>",
    "a//b",
    "a/./b",
    "./",
    ".",
    "...",
]
A9_CASES = [
    *name_cases(A9_NAMES, "invalid-name"),
    p(partial(_via_pax, "nul\x00hidden"), "invalid-name", id="pax:nul-inside-value"),
    p(partial(_via_pax, b"\xff\xfe.py"), "invalid-name", id="pax:not-utf8"),
    p(archive(tc.member(b"latin1-\xe9.py", b"x")), "invalid-name", id="ustar:not-utf8"),
    p(archive(tc.member("", b"x")), "invalid-name", id="ustar:empty"),
    p(archive(tc.gnu_longname(""), tc.member("placeholder", b"x")), "invalid-name",
      id="gnu-L:empty"),
]  # fmt: skip


@pytest.mark.parametrize(("build", "code", "limits"), A9_CASES)
def test_a9_unportable_or_control_names_are_rejected(build: Builder, code: str, limits: Limits):
    assert rejection(build(), limits).code == code


def test_a9_nul_in_ustar_name_field_terminates_it_for_both_parsers():
    # A NUL ends a tar name field; whatever follows it is not part of the name.
    data = tc.targz(tc.member(b"safe\x00/../../evil", b"content"))
    assert [(m.path, m.size) for m in read_archive(data).members] == [("safe", 7)]
    assert [name for name, *_ in tarfile_view(data)] == ["safe"]


# --------------------------------------------------------------------------- A10

_DEEP_1025 = "/".join(["d"] * 1024 + ["x"])
_LONG_TOTAL = "/".join(["p" * 200] * 6)  # 1205 bytes, every component legal
_LIMITLESS_BYTES = Limits(max_path_bytes=10**6)

A10_CASES = [
    *name_cases(["a" * 256, "dir/" + "b" * 256, "\u00e9" * 128], "name-too-long"),
    *name_cases([_LONG_TOTAL], "name-too-long"),
    *name_cases(["/".join("abcdefghijklmnopq")], "too-deep"),  # 17 levels
    p(partial(_via_pax, _DEEP_1025), "name-too-long", id="pax:1025-deep-path"),
    p(partial(_via_pax, _DEEP_1025), "too-deep", _LIMITLESS_BYTES,
      id="pax:1025-deep-path-no-byte-cap"),
    p(partial(_via_longname, _DEEP_1025), "too-deep", _LIMITLESS_BYTES,
      id="gnu-L:1025-deep-path-no-byte-cap"),
    p(lazy(lambda: tc.targz(*(tc.pax({"path": "d/" * i}) + tc.directory("placeholder/")
                              for i in range(1, 1026)))),
      "too-deep", Limits(max_members=5000), id="1025-nested-dir-members"),
]  # fmt: skip


@pytest.mark.parametrize(("build", "code", "limits"), A10_CASES)
def test_a10_long_and_deep_names_are_rejected(build: Builder, code: str, limits: Limits):
    assert rejection(build(), limits).code == code


@pytest.mark.parametrize(
    "name",
    [
        "a" * 255,
        "\u00e9" * 127 + "a",  # 255 bytes
        "/".join(["q" * 204] * 5),  # exactly 1024 bytes
        "/".join("abcdefghijklmnop"),  # exactly 16 levels
    ],
    ids=["component-255B", "component-255B-utf8", "path-1024B", "depth-16"],
)
def test_a10_names_at_the_limits_are_accepted(name: str):
    (member,) = read_archive(_via_pax(name)).members
    assert member.path == name


# --------------------------------------------------------------------------- A11


@cache
def _hundred_thousand_members() -> bytes:
    out = io.BytesIO()
    headers = (tc.header(f"f{i:06d}") for i in range(100_000))
    tc.write_gzip_stream(out, itertools.chain(headers, [tc.EOF]), level=1)
    return out.getvalue()


A11_CASES = [
    p(_hundred_thousand_members, "too-many-members", id="100k-empty-files"),
    p(archive(*(tc.member(f"f{i}", b"") for i in range(11))), "too-many-members",
      Limits(max_members=10), id="cap-10-has-11"),
    p(archive(*(tc.directory(f"d{i}/") for i in range(11))), "too-many-members",
      Limits(max_members=10), id="cap-10-has-11-dirs"),
    p(archive(*(tc.pax({"comment": "x"}) + tc.member(f"f{i}", b"") for i in range(6))),
      "too-many-members", Limits(max_members=10), id="metadata-headers-count"),
]  # fmt: skip


@pytest.mark.parametrize(("build", "code", "limits"), A11_CASES)
def test_a11_member_count_is_capped(build: Builder, code: str, limits: Limits):
    data = build()
    started = time.monotonic()
    assert rejection(data, limits).code == code
    assert time.monotonic() - started < 20  # hang guard; it actually takes milliseconds


def test_a11_member_cap_boundary_is_accepted():
    data = tc.targz(*(tc.member(f"f{i}", b"") for i in range(10)))
    assert len(read_archive(data, limits=Limits(max_members=10)).members) == 10


# --------------------------------------------------------------------------- A12

BOMB_SIZE = 200 * MiB


def _gzip_stream(chunks: Iterator[bytes]) -> bytes:
    out = io.BytesIO()
    tc.write_gzip_stream(out, chunks)
    return out.getvalue()


@cache
def bomb_single() -> bytes:
    """One member holding 200 MiB of zeros, honestly declared in its header."""

    def chunks() -> Iterator[bytes]:
        yield tc.header("zeros.bin", size=BOMB_SIZE)
        yield from tc.zeros(BOMB_SIZE)
        yield tc.EOF

    return _gzip_stream(chunks())


@cache
def bomb_after_eof() -> bytes:
    """A tiny archive, then 200 MiB of zeros after its end blocks (headers claim nothing)."""

    def chunks() -> Iterator[bytes]:
        yield tc.header("readme", size=0)
        yield from tc.zeros(BOMB_SIZE)

    return _gzip_stream(chunks())


@cache
def bomb_many() -> bytes:
    """200 members of 1 MiB zeros: no header is over any per-member cap."""

    def chunks() -> Iterator[bytes]:
        for i in range(200):
            yield tc.header(f"z{i:03d}", size=MiB)
            yield from tc.zeros(MiB)
        yield tc.EOF

    return _gzip_stream(chunks())


@cache
def bomb_padded() -> bytes:
    """The after-EOF bomb plus 4 MiB of junk, which inflates the ratio's denominator."""
    return bomb_after_eof() + random.Random(0).randbytes(4 * MiB)


_ROOMY = Limits(max_uncompressed_bytes=1 << 30)  # only the ratio can stop the bomb

A12_CASES = [
    p(bomb_single, "member-too-large", id="single-200MiB-member-header"),
    p(bomb_single, "decompressed-size-exceeded", _ROOMY, id="single-200MiB-ratio-cap"),
    p(bomb_after_eof, "decompressed-size-exceeded", id="zeros-after-eof"),
    p(bomb_many, "decompressed-size-exceeded", id="200-members-of-1MiB"),
    p(bomb_padded, "decompressed-size-exceeded", id="ratio-padded-hits-absolute-cap"),
    p(archive(tc.header("huge", size_field=tc.base256(10 * 1024**3))), "member-too-large",
      id="base256-10GiB-header"),
    p(archive(tc.header("huge", size=8**11 - 1)), "member-too-large", id="octal-8GiB-header"),
    p(archive(tc.member("a", b"x" * 600), tc.header("b", size=2 * MiB)), "member-too-large",
      Limits(max_uncompressed_bytes=2 * MiB), id="over-remaining-cap"),
]  # fmt: skip


def test_a12_bombs_are_small_and_huge():
    for build in (bomb_single, bomb_after_eof, bomb_many):
        assert len(build()) < 256 * 1024
    assert len(bomb_single()) * 1000 < BOMB_SIZE


@pytest.mark.parametrize(("build", "code", "limits"), A12_CASES)
def test_a12_decompression_bombs_are_stopped(build: Builder, code: str, limits: Limits):
    assert rejection(build(), limits).code == code


def test_a12_huge_header_is_refused_before_content():
    opened: list[MemberInfo] = []

    def sink(info: MemberInfo) -> None:
        opened.append(info)

    with pytest.raises(ArchiveError) as info:
        read_archive(bomb_single(), sink)
    assert info.value.code == "member-too-large"
    assert opened == []


def test_a12_bomb_through_unsized_stream_is_stopped():
    class Unsized(io.RawIOBase):  # no fileno(): the reader cannot know the total size
        def __init__(self, data: bytes) -> None:
            self._data = io.BytesIO(data)

        def readable(self) -> bool:
            return True

        def readinto(self, buf: bytearray) -> int:  # type: ignore[override]
            chunk = self._data.read(len(buf))
            buf[: len(chunk)] = chunk
            return len(chunk)

    assert rejection(Unsized(bomb_after_eof())).code == "decompressed-size-exceeded"


_RSS_CHILD = textwrap.dedent(
    """
    import resource, sys
    from pathlib import Path
    from argent_marketplace.package.errors import ArchiveError
    from argent_marketplace.package.limits import Limits
    from argent_marketplace.package.reader import read_archive

    class Discard:
        def write(self, chunk):
            pass
        def close(self):
            pass

    def peak_kib():
        # VmHWM belongs to this process image only. ru_maxrss is not usable here: Linux
        # carries the parent's high-water mark across fork+exec, so a child of a big
        # pytest process would report the parent's size.
        try:
            with open("/proc/self/status") as fh:
                for line in fh:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1])
        except OSError:
            pass
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    base = peak_kib()
    roomy = Limits(max_uncompressed_bytes=1 << 30, max_ratio=10**6)
    runs = [(a, Limits()) for a in sys.argv[1:]] + [(sys.argv[1], roomy)]
    results = []
    for path, limits in runs:
        try:
            listing = read_archive(Path(path), lambda info: Discard(), limits)
            results.append(f"ok:{listing.uncompressed_size}")
        except ArchiveError as exc:
            results.append(exc.code)
    print(base, peak_kib(), *results)
    """
)


def test_a12_peak_memory_of_reading_bombs_stays_bounded(tmp_path: Path):
    paths = []
    for build in (bomb_single, bomb_after_eof, bomb_many):
        path = tmp_path / f"{build.__name__}.argent-pkg"
        path.write_bytes(build())
        paths.append(str(path))
    done = subprocess.run(
        [sys.executable, "-c", _RSS_CHILD, *paths],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    base_kib, peak_kib, *results = done.stdout.split()
    assert results == [
        "member-too-large",
        "decompressed-size-exceeded",
        "decompressed-size-exceeded",
        # With the caps lifted the whole 200 MiB streams through; memory must not grow.
        f"ok:{BOMB_SIZE + 3 * tc.BLOCK}",
    ]
    peak = int(peak_kib) * 1024  # VmHWM / ru_maxrss are in KiB on Linux
    print(f"bomb reader: base {int(base_kib) / 1024:.1f} MiB, peak {peak / MiB:.1f} MiB")
    assert peak < 100_000_000, f"peak RSS {peak / MiB:.1f} MiB"
    assert peak - int(base_kib) * 1024 < 32 * MiB, "reading grew memory by over 32 MiB"


# --------------------------------------------------------------------------- A13


def _valid_tar() -> bytes:
    return tc.tar(tc.member("a.txt", b"a" * 3000), tc.member("b.txt", b"b" * 100))


A13_CASES = [
    p(lambda: tc.gz(_valid_tar())[: len(tc.gz(_valid_tar())) // 2], "truncated-archive",
      id="gzip-cut-in-half"),
    p(lambda: tc.gz(_valid_tar())[:-4], "truncated-archive", id="gzip-missing-isize"),
    p(lambda: tc.gz(_valid_tar())[:-8], "truncated-archive", id="gzip-missing-trailer"),
    p(lambda: tc.gz(_valid_tar())[:12], "truncated-archive", id="gzip-header-only"),
    p(lambda: b"", "truncated-archive", id="empty-file"),
    p(lambda: tc.gz(b""), "truncated-archive", id="gzip-of-nothing"),
    p(archive(tc.header("a.txt", size=5000) + tc.pad(b"x" * 100), eof=False),
      "truncated-archive", id="body-shorter-than-size"),
    p(archive(tc.header("a.txt", size=5000) + tc.pad(b"x" * 100)), "truncated-archive",
      id="body-short-eof-blocks-eaten"),
    p(archive(tc.member("a.txt", b"x"), eof=False), "truncated-archive", id="no-eof-blocks"),
    p(lambda: tc.gz(tc.member("a.txt", b"x") + bytes(512)), "truncated-archive",
      id="one-eof-block"),
    p(lambda: tc.gz(tc.header("a.txt", size=1)[:300]), "truncated-archive",
      id="header-cut"),
    p(lambda: tc.gz(tc.pax({"path": "long"})[:700]), "truncated-archive",
      id="pax-body-cut"),
]  # fmt: skip


@pytest.mark.parametrize(("build", "code", "limits"), A13_CASES)
def test_a13_truncated_archives_are_rejected(build: Builder, code: str, limits: Limits):
    assert rejection(build(), limits).code == code


@pytest.mark.parametrize(("build", "code", "limits"), A13_CASES)
def test_a13_truncated_extract_leaves_no_staging(
    build: Builder, code: str, limits: Limits, tmp_path: Path
):
    stage = tmp_path / "stage"
    with pytest.raises(ArchiveError) as info:
        extract_package(build(), stage, limits)
    assert info.value.code == code
    assert tree(tmp_path) == []


# --------------------------------------------------------------------------- A14

A14_CASES = [
    p(archive(tc.pax(body=b"0 path=x\n"), tc.member("a", b"")), "corrupt-archive",
      id="zero-length-record"),
    p(archive(tc.pax(body=b"0 \n"), tc.member("a", b"")), "corrupt-archive",
      id="zero-length-empty-record"),
    p(archive(tc.pax(body=b"-1 path=x\n"), tc.member("a", b"")), "corrupt-archive",
      id="negative-record-length"),
    p(archive(tc.pax(body=b"-99999 path=x\n"), tc.member("a", b"")), "corrupt-archive",
      id="large-negative-record-length"),
    p(archive(tc.pax(body=b"99999999999999999999 path=x\n"), tc.member("a", b"")),
      "corrupt-archive", id="huge-record-length"),
    p(archive(tc.pax(body=b"9" * 400 + b" path=x\n"), tc.member("a", b"")), "corrupt-archive",
      id="400-digit-record-length"),
    p(archive(tc.pax(body=b"5 path=x\n"), tc.member("a", b"")), "corrupt-archive",
      id="short-record-length"),
    p(archive(tc.pax(body=b"12 path=x\n\n"), tc.member("a", b"")), "corrupt-archive",
      id="long-record-length"),
    p(archive(tc.pax(body=b"6 abc\n"), tc.member("a", b"")), "corrupt-archive",
      id="record-without-equals"),
    p(archive(tc.pax(body=b"path=x\n"), tc.member("a", b"")), "corrupt-archive",
      id="record-without-length"),
    p(archive(tc.pax(body=b"")), "corrupt-archive", id="size-0-pax-then-eof"),
    p(archive(tc.pax(body=b"", size=0), tc.pax(body=b"")), "corrupt-archive",
      id="two-size-0-pax-in-a-row"),
    p(archive(tc.header("././@PaxHeader", typeflag=b"x",
                        size_field=tc.base256(10 * 1024**3))),
      "corrupt-archive", id="pax-header-claims-10GiB"),
    p(archive(tc.header("././@PaxHeader", typeflag=b"x", size_field=b"\xff" * 12)),
      "corrupt-archive", id="pax-header-negative-size"),
    p(archive(tc.header("a", size_field=b"\xff" + b"\xff" * 10 + b"\x00")),
      "corrupt-archive", id="member-negative-size"),
    p(archive(tc.header("././@LongLink", typeflag=b"L", magic=tc.GNU_MAGIC,
                        size_field=tc.base256(2**60))),
      "corrupt-archive", id="gnu-longname-claims-2^60"),
    p(archive(tc.header("a", size_field=b"9" * 11 + b"\x00")), "corrupt-archive",
      id="non-octal-size"),
    p(archive(tc.header("a", mode_field=b"-000644\x00")), "corrupt-archive",
      id="negative-octal-mode"),
]  # fmt: skip


@pytest.mark.parametrize(("build", "code", "limits"), A14_CASES)
def test_a14_malformed_extended_headers_fail_fast(build: Builder, code: str, limits: Limits):
    started = time.monotonic()
    assert rejection(build(), limits).code == code
    assert time.monotonic() - started < DEADLINE


def test_a14_empty_pax_header_before_a_member_is_harmless():
    # An 'x' header with no records is legal POSIX; both parsers agree on the result.
    data = tc.targz(tc.pax(body=b""), tc.member("kept.txt", b"ok"))
    assert reader_view(data) == tarfile_view(data) == [("kept.txt", "file", 2, b"ok")]


# --------------------------------------------------------------------------- A15

_SMUGGLED = tc.member("smuggled.py", b"import os\n")

A15_CASES = [
    p(archive(tc.pax({"size": "0"}), tc.member("x", b"A" * 600)), "inconsistent-header",
      id="pax-size-smaller"),
    p(archive(tc.pax({"size": str(len(_SMUGGLED))}), tc.member("x", b"", size=0), _SMUGGLED),
      "inconsistent-header", id="tarmageddon-pax-size-hides-header"),
    p(archive(tc.pax({"size": "abc"}), tc.member("x", b"1")), "inconsistent-header",
      id="pax-size-not-a-number"),
    p(archive(tc.pax({"size": "-1"}), tc.member("x", b"1")), "inconsistent-header",
      id="pax-size-negative"),
    p(archive(tc.pax({"size": ""}), tc.member("x", b"1")), "inconsistent-header",
      id="pax-size-empty"),
    p(archive(tc.pax({"path": "a"}), tc.gnu_longname("b"), tc.member("c", b"1")),
      "corrupt-archive", id="pax-then-gnu-longname"),
    p(archive(tc.gnu_longname("a"), tc.gnu_longname("b"), tc.member("c", b"1")),
      "corrupt-archive", id="two-gnu-longnames"),
    p(archive(tc.member("d/", b"hidden header", typeflag=b"5")), "corrupt-archive",
      id="directory-with-content"),
    p(archive(tc.member("a", b"x", magic=bytes(8))), "unsupported-format",
      id="v7-header-no-magic"),
]  # fmt: skip


@pytest.mark.parametrize(("build", "code", "limits"), A15_CASES)
def test_a15_ambiguous_headers_are_rejected(build: Builder, code: str, limits: Limits):
    assert rejection(build(), limits).code == code


def test_a15_agreeing_pax_size_is_accepted():
    data = tc.targz(tc.pax({"size": "3", "path": "agreed.txt"}), tc.member("x", b"abc"))
    assert reader_view(data) == tarfile_view(data) == [("agreed.txt", "file", 3, b"abc")]


DIFFERENTIAL_SETS = {
    "single": [ArchiveEntry("argent.plugin.json", 0o644, b'{"name": "aos-x"}\n')],
    "nested-and-exec": [
        ArchiveEntry("agent-harness/cli.py", 0o755, b"#!/usr/bin/env python3\nprint(1)\n"),
        ArchiveEntry("agent-harness/lib/__init__.py", 0o644, b""),
        ArchiveEntry("README.md", 0o644, b"# hi\n" * 50),
    ],
    "long-and-unicode-names": [
        ArchiveEntry("d/" + "n" * 150 + ".py", 0o644, b"long"),
        ArchiveEntry("caf\u00e9/\u00fcber.txt", 0o644, "\u00fc".encode()),
        ArchiveEntry("/".join(["seg"] * 16), 0o644, b"deep"),
    ],
    "block-edges": [
        ArchiveEntry("empty", 0o644, b""),
        ArchiveEntry("one", 0o644, b"1"),
        ArchiveEntry("b511", 0o644, b"x" * 511),
        ArchiveEntry("b512", 0o644, b"y" * 512),
        ArchiveEntry("b513", 0o644, b"z" * 513),
    ],
    "binary-100k": [ArchiveEntry("blob.bin", 0o644, random.Random(1).randbytes(100_000))],
}


@pytest.mark.parametrize("entries", DIFFERENTIAL_SETS.values(), ids=DIFFERENTIAL_SETS.keys())
def test_a15_reader_agrees_with_tarfile_on_writer_output(entries: list[ArchiveEntry]):
    data = build_archive(entries, mtime=0)
    ours = reader_view(data)
    assert ours == tarfile_view(data)
    assert sorted(ours) == sorted((e.path, "file", len(e.data), e.data) for e in entries)
    assert [m.mode for m in read_archive(data).members] == [
        e.mode for e in sorted(entries, key=lambda e: e.path)
    ]


def _key(path: str) -> str:
    return unicodedata.normalize("NFC", path).casefold()


_component = st.text(alphabet="abcxyz019_-\u00e9\u00fc", min_size=1, max_size=60)
_path = st.lists(_component, min_size=1, max_size=4).map("/".join)
_entry = st.builds(ArchiveEntry, _path, st.sampled_from([0o644, 0o755]), st.binary(max_size=1500))


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(st.lists(_entry, min_size=1, max_size=8, unique_by=lambda e: _key(e.path)))
def test_a15_differential_random_writer_archives(entries: list[ArchiveEntry]):
    keys = {_key(e.path) for e in entries}
    parents = {_key(e.path).rsplit("/", 1)[0] for e in entries if "/" in e.path}
    folders = {"/".join(k.split("/")[:i]) for k in parents for i in range(1, k.count("/") + 2)}
    assume(not keys & folders)  # a file that is also a folder: not a valid package
    data = build_archive(entries, mtime=0)
    assert reader_view(data) == tarfile_view(data)


_FUZZ_ENTRIES = [
    ArchiveEntry("a.txt", 0o644, b"hello"),
    ArchiveEntry("d/" + "n" * 120, 0o755, b"x" * 700),
    ArchiveEntry("d/\u00e9.py", 0o644, b""),
    ArchiveEntry("z", 0o644, b"zz"),
]
# Header bytes the fuzzer may change: all but the checksum, which it recomputes.
_FUZZ_OFFSETS = [i for i in range(512) if not 148 <= i < 156]
_FUZZ_BYTES = b"0123456789 /\x00.xLKg5a\\:=\n"


def _fuzz_base() -> tuple[bytes, list[int]]:
    raw = gzip.decompress(build_archive(_FUZZ_ENTRIES, mtime=0))
    headers, pos = [], 0
    while raw[pos : pos + tc.BLOCK] != bytes(tc.BLOCK):
        headers.append(pos)
        size = int(raw[pos + 124 : pos + 136].rstrip(b"\x00 ") or b"0", 8)
        pos += tc.BLOCK + len(tc.pad(bytes(size)))
    return raw, headers


_FUZZ_RAW, _FUZZ_HEADERS = _fuzz_base()


def _fix_checksum(block: bytearray, at: int) -> None:
    block[at + 148 : at + 156] = b" " * 8
    chk = sum(block[at : at + tc.BLOCK])
    block[at + 148 : at + 156] = f"{chk:06o}".encode() + b"\x00 "


@settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(_FUZZ_HEADERS),
            st.booleans(),  # the header itself, or the first block after it
            st.sampled_from(_FUZZ_OFFSETS),
            st.sampled_from(list(_FUZZ_BYTES)),
        ),
        min_size=1,
        max_size=3,
    )
)
def test_a15_differential_fuzz_mutated_headers(edits: list[tuple[int, bool, int, int]]):
    raw = bytearray(_FUZZ_RAW)
    touched = set()
    for header_at, in_body, offset, value in edits:
        block_at = header_at + tc.BLOCK if in_body else header_at
        raw[block_at + offset] = value
        if not in_body:
            touched.add(header_at)
    for header_at in touched:
        _fix_checksum(raw, header_at)
    data = tc.gz(bytes(raw), level=1)
    try:
        ours = within_deadline(lambda: reader_view(data))
    except ArchiveError:
        return  # rejected: nothing to compare
    assert ours == tarfile_view(data)


# --------------------------------------------------------------------------- A16


def _zip_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("argent.plugin.json", "{}")
        zf.writestr("padding.txt", "p" * 2000)  # over one tar block, even inside gzip
    return out.getvalue()


A16_CASES = [
    p(lambda: tc.gz(_valid_tar()) + tc.gz(_valid_tar()), "trailing-data",
      id="two-gzip-members"),
    p(lambda: tc.gz(_valid_tar()) + tc.gz(b""), "trailing-data", id="empty-second-gzip-member"),
    p(lambda: tc.gz(_valid_tar()) + b"garbage", "trailing-data", id="garbage-after-gzip"),
    p(lambda: tc.gz(_valid_tar()) + b"\x00" * 8, "trailing-data", id="zeros-after-gzip"),
    p(lambda: tc.gz(_valid_tar()) + b"x" * (200 * 1024), "trailing-data",
      id="garbage-beyond-first-chunk"),
    p(lambda: tc.gz(_valid_tar() + b"\x01"), "trailing-data", id="byte-after-tar-eof"),
    p(lambda: tc.gz(_valid_tar() + tc.pad(b"\x00" * 100 + b"!")), "trailing-data",
      id="nonzero-in-padding-after-eof"),
    p(lambda: tc.gz(_valid_tar() + tc.tar(tc.member("hidden.py", b"evil"))), "trailing-data",
      id="member-hidden-after-eof"),
    p(_valid_tar, "unsupported-format", id="plain-tar"),
    p(_zip_bytes, "unsupported-format", id="zip"),
    p(lambda: lzma.compress(_valid_tar()), "unsupported-format", id="tar-xz"),
    p(lambda: lzma.compress(_valid_tar(), format=lzma.FORMAT_ALONE), "unsupported-format",
      id="tar-lzma-alone"),
    p(lambda: b"\x28\xb5\x2f\xfd" + random.Random(2).randbytes(64), "unsupported-format",
      id="tar-zst-magic"),
    p(lambda: bz2.compress(_valid_tar()), "unsupported-format", id="tar-bz2"),
    p(lambda: b"<html><body>Captive portal</body></html>", "unsupported-format",
      id="html-page"),
    p(lambda: b"\x1f", "unsupported-format", id="half-gzip-magic"),
]  # fmt: skip


def _corrupt_block_type() -> bytes:
    data = bytearray(tc.gz(_valid_tar()))
    data[10] |= 0b110  # BTYPE=11: reserved, invalid in every deflate stream
    return bytes(data)


def _corrupt_crc() -> bytes:
    data = bytearray(tc.gz(_valid_tar()))
    data[-8] ^= 0xFF
    return bytes(data)


def _corrupt_isize() -> bytes:
    data = bytearray(tc.gz(_valid_tar()))
    data[-1] ^= 0x01
    return bytes(data)


def _bad_method() -> bytes:
    data = bytearray(tc.gz(_valid_tar()))
    data[2] = 7  # compression method other than deflate
    return bytes(data)


A16_CORRUPT_CASES = [
    p(_corrupt_block_type, "corrupt-archive", id="gzip-invalid-block-type"),
    p(_corrupt_crc, "corrupt-archive", id="gzip-bad-crc"),
    p(_corrupt_isize, "corrupt-archive", id="gzip-bad-isize"),
    p(_bad_method, "corrupt-archive", id="gzip-bad-method"),
    p(archive(tc.member("a", b"x", checksum_delta=1)), "corrupt-archive",
      id="tar-bad-checksum"),
    p(archive(tc.member("a", b"x"), tc.member("b", b"y", checksum_delta=-1)),
      "corrupt-archive", id="tar-bad-checksum-second-header"),
    p(lambda: tc.gz(tc.member("a", b"x") + bytes(512) + tc.member("b", b"y") + tc.EOF),
      "corrupt-archive", id="lone-zero-block"),
    p(lambda: tc.gz(_zip_bytes()), "corrupt-archive", id="zip-inside-gzip"),
    p(lambda: tc.gz(random.Random(0).randbytes(20 * 1024)), "package-too-large",
      Limits(max_compressed_bytes=1000), id="compressed-over-cap"),
    p(lambda: tc.gz(tc.tar(tc.member("r", random.Random(0).randbytes(100 * 1024))), level=0),
      "package-too-large",
      Limits(max_compressed_bytes=80 * 1024), id="compressed-over-cap-second-chunk"),
]  # fmt: skip


@pytest.mark.parametrize(("build", "code", "limits"), A16_CASES)
def test_a16_trailing_data_and_foreign_formats_are_rejected(
    build: Builder, code: str, limits: Limits
):
    assert rejection(build(), limits).code == code


@pytest.mark.parametrize(("build", "code", "limits"), A16_CORRUPT_CASES)
def test_a16_corrupt_or_oversized_packages_are_rejected(build: Builder, code: str, limits: Limits):
    assert rejection(build(), limits).code == code


def test_a16_zero_record_padding_after_eof_is_accepted():
    # GNU tar pads to 10 KiB records: zeros after the end blocks are not data.
    raw = _valid_tar()
    data = tc.gz(raw + bytes(-len(raw) % 10240))
    assert [m.path for m in read_archive(data).members] == ["a.txt", "b.txt"]


# --------------------------------------------------------------------------- every rejection


ALL_REJECTIONS = [
    *A1_CASES,
    *A2_CASES,
    *A3_CASES,
    *A4_CASES,
    *A5_CASES,
    *A6_CASES,
    *A7_CASES,
    *A8_CASES,
    *A9_CASES,
    *A10_CASES,
    *A11_CASES,
    *A12_CASES,
    *A13_CASES,
    *A14_CASES,
    *A15_CASES,
    *A16_CASES,
    *A16_CORRUPT_CASES,
]


@pytest.mark.parametrize(("build", "code", "limits"), ALL_REJECTIONS)
def test_every_rejection_extracts_nothing(
    build: Builder, code: str, limits: Limits, tmp_path: Path
):
    stage = tmp_path / "stage"
    with pytest.raises(ArchiveError) as info:
        extract_package(build(), stage, limits)
    assert info.value.code == code
    assert tree(tmp_path) == []


@pytest.mark.parametrize(
    "make_source",
    [
        pytest.param(lambda data, path: data, id="bytes"),
        pytest.param(lambda data, path: bytearray(data), id="bytearray"),
        pytest.param(lambda data, path: path, id="path"),
        pytest.param(lambda data, path: path.open("rb"), id="open-file"),
        pytest.param(lambda data, path: io.BufferedReader(io.BytesIO(data)), id="stream"),
    ],
)
def test_sources_of_every_kind_give_the_same_answer(make_source: Callable, tmp_path: Path):
    good = build_archive([ArchiveEntry("a/b.txt", 0o644, b"content")], mtime=0)
    bad = tc.targz(tc.member("ok", b"1"), tc.member("../escape", b"2"))
    results = []
    for data in (good, bad):
        path = tmp_path / "pkg.argent-pkg"
        path.write_bytes(data)
        source = make_source(data, path)
        try:
            listing, content = read_all(source)
            results.append((listing.members, content, listing.sha256))
        except ArchiveError as exc:
            results.append(exc.code)
        finally:
            if hasattr(source, "close"):
                source.close()
    assert results == [
        (
            (MemberInfo("a/b.txt", "file", 7, 0o644),),
            {"a/b.txt": b"content"},
            hashlib.sha256(good).hexdigest(),
        ),
        "path-traversal",
    ]


# --------------------------------------------------------------------------- extraction


def test_extract_creates_exactly_the_archive(tmp_path: Path):
    entries = [
        ArchiveEntry("argent.plugin.json", 0o644, b"{}\n"),
        ArchiveEntry("agent-harness/cli.py", 0o755, b"#!/usr/bin/env python3\n"),
        ArchiveEntry("agent-harness/lib/util.py", 0o644, b"x = 1\n" * 1000),
        ArchiveEntry("docs/" + "long-" * 30 + ".md", 0o644, b"long name"),
        ArchiveEntry("caf\u00e9.txt", 0o644, "\u00e9".encode()),
        ArchiveEntry("empty", 0o644, b""),
    ]
    stage = tmp_path / "stage"
    listing = extract_package(build_archive(entries, mtime=0), stage)
    files = {p.relative_to(stage).as_posix() for p in stage.rglob("*") if p.is_file()}
    assert files == {e.path for e in entries}
    for entry in entries:
        target = stage / entry.path
        assert target.read_bytes() == entry.data
        assert not target.is_symlink()
        assert target.stat().st_mode & 0o7777 == entry.mode
    assert tree(stage) == sorted(
        [e.path for e in entries] + ["agent-harness", "agent-harness/lib", "docs"]
    )
    assert [m.path for m in listing.members] == sorted(e.path for e in entries)


def test_extract_creates_declared_empty_folders(tmp_path: Path):
    data = tc.targz(tc.directory("empty/"), tc.directory("a/b/"), tc.member("a/b/f", b"f"))
    stage = tmp_path / "stage"
    extract_package(data, stage)
    assert tree(stage) == ["a", "a/b", "a/b/f", "empty"]
    assert (stage / "empty").is_dir()


@pytest.mark.parametrize("kind", ["empty-dir", "full-dir", "file", "symlink-to-dir"])
def test_extract_into_existing_target_touches_nothing(kind: str, tmp_path: Path):
    target = tmp_path / "stage"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    if kind == "empty-dir":
        target.mkdir()
    elif kind == "full-dir":
        target.mkdir()
        (target / "keep.txt").write_bytes(b"precious")
    elif kind == "file":
        target.write_bytes(b"precious")
    else:
        target.symlink_to(elsewhere, target_is_directory=True)
    before = tree(tmp_path)
    data = build_archive([ArchiveEntry("keep.txt", 0o644, b"overwritten?")], mtime=0)
    with pytest.raises(ExtractError) as info:
        extract_package(data, target)
    assert info.value.code == "target-exists"
    assert tree(tmp_path) == before
    if kind == "full-dir":
        assert (target / "keep.txt").read_bytes() == b"precious"
    if kind == "file":
        assert target.read_bytes() == b"precious"
    assert list(elsewhere.iterdir()) == []


# --------------------------------------------------------------------------- A20


@pytest.mark.parametrize(
    ("root", "candidate", "inside"),
    [
        ("/x/dest", "/x/dest-evil/f", False),
        ("/x/dest", "/x/dest/a/../b", True),
        ("/x/dest", "/x/dest/../dest-evil", False),
        ("/x/dest", "/x/dest", True),
        ("/x/dest", "/x/dest/", True),
        ("/x/dest", "/x/dest/..", False),
        ("/x/dest", "/x", False),
        ("/x/dest", "/x/destination", False),
        ("/x/dest/", "/x/dest/f", True),
        ("/x/dest", "/x/dest/a/b/../../../dest2", False),
    ],
)
def test_a20_is_within_compares_components(root: str, candidate: str, inside: bool):
    assert is_within(Path(root), Path(candidate)) is inside


# ------------------------------------------------------------------ parser differentials
# Each case below was found while writing these tests: another reader (tarfile, GNU tar)
# sees a different member list, so ours must refuse, not pick a side.


def test_differential_gnu_header_prefix_area_is_a_parser_differential():
    data = tc.targz(tc.member("x", b"1", magic=tc.GNU_MAGIC, prefix="../../etc"))
    assert [n for n, *_ in tarfile_view(data)] == ["../../etc/x"]
    with pytest.raises(ArchiveError):
        read_archive(data)


@pytest.mark.parametrize(
    ("offset", "width"),
    [(108, 8), (116, 8), (136, 12), (329, 8), (337, 8)],
    ids=["uid", "gid", "mtime", "devmajor", "devminor"],
)
def test_differential_unvalidated_numeric_fields(offset: int, width: int):
    bad = bytearray(tc.header("b", size=1))
    bad[offset : offset + width] = b"z" * (width - 1) + b"\x00"
    _fix_checksum(bad, 0)
    data = tc.targz(tc.member("a", b"1"), bytes(bad) + tc.pad(b"2"), tc.member("c", b"3"))
    assert [n for n, *_ in tarfile_view(data)] == ["a"]
    with pytest.raises(ArchiveError):
        read_archive(data)


def test_differential_base256_marker_other_than_0x80():
    data = tc.targz(
        tc.member("a", b"1"),
        tc.member("b", b"2", mode_field=b"\x84" + bytes(6) + b"\x01"),
        tc.member("c", b"3"),
    )
    assert [n for n, *_ in tarfile_view(data)] == ["a"]
    with pytest.raises(ArchiveError):
        read_archive(data)


def test_differential_regular_file_with_trailing_slash():
    data = tc.targz(tc.member("x/", b"data"))
    assert [n for n, *_ in tarfile_view(data)] == ["x/"]
    with pytest.raises(ArchiveError):
        read_archive(data)


@pytest.mark.parametrize("char", ["\u009b", "\u0085", "\u0080"], ids=ascii)
def test_differential_c1_control_characters(char: str):
    assert rejection(_via_pax(f"a{char}[2Jb")).code == "invalid-name"


def test_tar_dash_c_dot_layout_is_readable():
    data = tc.targz(
        tc.directory("./"),
        tc.directory("./sub/"),
        tc.member("./sub/b", b"yo\n"),
        tc.member("./a", b"hi\n"),
    )
    assert [m.path for m in read_archive(data).members] == ["sub", "sub/b", "a"]


@pytest.mark.parametrize(
    "build",
    [
        # /tmp/rv/h/diff1.tgz: PAX path 'dir/' on a NUL-type member named 'x'
        lambda: tc.targz(tc.pax({"path": "dir/"}), tc.member("x", typeflag=b"\x00")),
        # /tmp/rv/h/diff2.tgz: PAX path 'y' on a NUL-type member whose ustar name is 'y/'
        lambda: tc.targz(tc.pax({"path": "y"}), tc.member("y/", typeflag=b"\x00")),
        lambda: tc.targz(tc.member("old-style-dir/", typeflag=b"\x00")),
        lambda: tc.targz(tc.member("type0-dir/", typeflag=b"0")),
        lambda: tc.targz(tc.pax({"path": "z/"}), tc.member("z", typeflag=b"0")),
        lambda: tc.targz(tc.gnu_longname("long/"), tc.member("placeholder", typeflag=b"0")),
    ],
    ids=["pax-path-slash", "ustar-name-slash", "nul-type-slash", "type0-slash", "type0-pax-slash",
         "gnu-L"],
)  # fmt: skip
def test_differential_file_type_with_folder_name_is_refused(build: Builder):
    """M6: only type 5 is a folder. tarfile turns a NUL-type 'y/' into a folder before the
    PAX path applies; a reader that trusted the PAX path alone would see a file."""
    error = rejection(build())
    assert error.code == "inconsistent-header"
    assert "ends in '/'" in error.message


def test_truncated_ustar_copy_of_a_long_name_may_end_in_a_slash():
    """Writers cut a long name at 100 bytes for the ustar field, maybe right after a '/';
    with type 0 and a PAX path that copy means nothing to any reader, so it is accepted."""
    name = "a" * 99 + "/b.py"
    data = build_archive([ArchiveEntry(name, 0o644, b"x")], mtime=0)
    assert reader_view(data) == tarfile_view(data) == [(name, "file", 1, b"x")]
    data = tc.targz(tc.pax({"path": "z"}), tc.member("z/", b"1", typeflag=b"0"))
    assert reader_view(data) == tarfile_view(data) == [("z", "file", 1, b"1")]


def test_skipping_a_large_member_without_a_sink_keeps_memory_low():
    """M5: skip() used to buffer a whole member before dropping it; now it goes by chunks."""
    import tracemalloc

    size = 40 * MiB
    data = tc.gz(tc.header("big.bin", size=size) + bytes(size) + tc.EOF, level=9)
    roomy = Limits(max_ratio=10**6, max_uncompressed_bytes=64 * MiB)
    tracemalloc.start()
    try:
        listing = read_archive(data, None, roomy)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert listing.members[0].size == size
    assert peak < 8 * MiB, f"peak {peak / MiB:.1f} MiB"


def test_extract_into_a_missing_parent_is_an_extract_error(tmp_path: Path):
    """L4: no raw FileNotFoundError; the documented ExtractError (exit 6) instead."""
    data = build_archive([ArchiveEntry("a.txt", 0o644, b"a")], mtime=0)
    with pytest.raises(ExtractError) as info:
        extract_package(data, tmp_path / "missing" / "stage")
    assert info.value.code == "extract-failed"
    assert not (tmp_path / "missing").exists()
