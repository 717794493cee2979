"""Rules about which files a package ships, independent of their text (D5, D6).

* ``startup-hook-or-shadowing`` (high): ``*.pth`` files and ``sitecustomize.py`` /
  ``usercustomize.py`` run in every Python process once installed (the LiteLLM
  ``.pth`` incident); a module named like a standard-library module (``json.py``,
  ``ssl.py``) where it becomes importable by that name (a folder that is not a
  package: the script's own folder, a ``tests/`` folder, the harness root)
  replaces the real module for code run from there.
* ``bundled-binary`` (high): compiled code (``.pyc``, ``.so``, ``.dll``, ``.exe``,
  ``.dylib``, wheels and archives), recognised by name or by magic bytes (an ELF
  file named ``logo.png`` included), unless the policy allows the path and the
  manifest declares ``native``.
* ``opaque-blob``: a file that is neither text nor a recognised media type is
  ``medium`` from the policy's size up, ``low`` below it.
"""

from __future__ import annotations

import fnmatch
import sys
from collections.abc import Collection, Mapping

from argent_marketplace.scan.findings import Finding
from argent_marketplace.scan.policy import Policy

__all__ = ["file_findings", "is_text"]

# The regression-test package and the jokes are harmless to shadow (and `test.py` is common).
_STDLIB = frozenset(sys.stdlib_module_names) - {
    "__future__",
    "__main__",
    "this",
    "antigravity",
    "test",
    "idlelib",
    "turtledemo",
}
_BINARY_SUFFIXES = (
    ".pyc",
    ".pyo",
    ".pyd",
    ".so",
    ".dylib",
    ".dll",
    ".exe",
    ".bin",
    ".o",
    ".a",
    ".lib",
    ".whl",
    ".egg",
    ".jar",
    ".class",
    ".wasm",
    ".elf",
    ".msi",
    ".dmg",
    ".deb",
    ".rpm",
    ".apk",
    ".zip",
    ".tar",
    ".tgz",
    ".gz",
    ".bz2",
    ".xz",
    ".7z",
    ".rar",
    ".zst",
)
_MEDIA_SUFFIXES = (
    ".png",
    ".jpg",
    ".jpeg",
    ".gif",
    ".webp",
    ".ico",
    ".bmp",
    ".tiff",
    ".svg",
    ".pdf",
    ".woff",
    ".woff2",
    ".ttf",
    ".otf",
    ".mp3",
    ".wav",
    ".ogg",
    ".mp4",
    ".webm",
    ".mov",
)
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x7fELF", "an ELF executable"),
    (b"MZ", "a Windows executable"),
    (b"\xcf\xfa\xed\xfe", "a Mach-O executable"),
    (b"\xce\xfa\xed\xfe", "a Mach-O executable"),
    (b"\xfe\xed\xfa\xcf", "a Mach-O executable"),
    (b"\xca\xfe\xba\xbe", "a Mach-O or Java binary"),
    (b"\x00asm", "WebAssembly"),
    (b"PK\x03\x04", "a zip archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf", "a 7-zip archive"),
    (b"Rar!", "a RAR archive"),
)
# Magics a text file can start with ("MZ is...", a base64 SIGNATURE that happens to):
# they only mark a binary when the file is not text (real ones have NUL bytes next).
_PRINTABLE_MAGIC = frozenset({b"MZ", b"Rar!"})
_MEDIA_MAGIC = (
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"RIFF",
    b"%PDF",
    b"wOFF",
    b"wOF2",
    b"\x00\x00\x01\x00",
    b"BM",
    b"<svg",
    b"<?xml",
    b"ID3",
    b"OggS",
    b"\x00\x01\x00\x00",
)


def is_text(data: bytes) -> bool:
    """UTF-8 without NUL bytes: what the text rules can read."""
    if b"\x00" in data[:8192]:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(data) - 3  # a head cut inside a character
    return True


def _pe_header_offset(head: bytes) -> bool:
    """Whether an ``MZ`` head points at a PE header a package could hold (``e_lfanew``).

    Text never does: four printable bytes at offset 60 read as at least 0x20202020 (over
    500 MB), while a real executable's header sits within the file.
    """
    return len(head) >= 64 and int.from_bytes(head[60:64], "little") < _MAX_PE_OFFSET


_MAX_PE_OFFSET = 256 * 1024 * 1024


def _pyc_magic(head: bytes) -> bool:
    return (
        len(head) >= 4
        and head[2:4] == b"\r\n"
        and 2900 <= int.from_bytes(head[:2], "little") < 4000
    )


def _hooks(path: str, folders_with_init: Collection[str]) -> Finding | None:
    name = path.rsplit("/", 1)[-1]
    folder = path.rsplit("/", 1)[0] if "/" in path else ""
    if name.endswith(".pth"):
        return Finding(
            "startup-hook-or-shadowing",
            "high",
            path,
            0,
            ".pth files run code in every Python process once installed",
            name,
        )
    if name in ("sitecustomize.py", "usercustomize.py"):
        return Finding(
            "startup-hook-or-shadowing",
            "high",
            path,
            0,
            f"{name} runs in every Python process that can import it",
            name,
        )
    module = name[:-3] if name.endswith(".py") else None
    if module is None or folder in folders_with_init:
        return None
    if module in _STDLIB:
        return Finding(
            "startup-hook-or-shadowing",
            "high",
            path,
            0,
            f"{name} shadows the standard-library module {module!r} for code run from this folder",
            name,
        )
    return None


def _shadowing_package(path: str, folders_with_init: Collection[str]) -> Finding | None:
    """``agent-harness/json/__init__.py``: a package named like the standard library."""
    if not path.endswith("/__init__.py"):
        return None
    folder = path[: -len("/__init__.py")]
    parent, _, name = folder.rpartition("/")
    if name in _STDLIB and parent not in folders_with_init:
        return Finding(
            "startup-hook-or-shadowing",
            "high",
            path,
            0,
            f"package {name!r} shadows the standard-library module",
            name,
        )
    return None


def _binary(
    path: str, head: bytes, size: int, declared_native: bool, policy: Policy
) -> Finding | None:
    low = path.lower()
    text = is_text(head)
    what = next(
        (
            w
            for magic, w in _MAGIC
            if head.startswith(magic)
            and not (text and magic in _PRINTABLE_MAGIC and not _pe_header_offset(head))
        ),
        None,
    )
    if what is None and not text and _pyc_magic(head):
        what = "compiled Python bytecode"
    if what is None and low.endswith(_BINARY_SUFFIXES):
        what = f"a {low.rsplit('.', 1)[-1]} file"
    if what is not None:
        allowed = declared_native and any(fnmatch.fnmatch(path, g) for g in policy.allowed_binaries)
        if allowed:
            return Finding(
                "bundled-binary",
                "info",
                path,
                0,
                f"bundles {what}, allowed by policy (native declared)",
                "",
            )
        disguised = low.endswith(_MEDIA_SUFFIXES)
        return Finding(
            "bundled-binary",
            "high",
            path,
            0,
            f"bundles {what}{' disguised by its name' if disguised else ''}: compiled "
            "or packed code cannot be reviewed",
            head[:8].hex(),
        )
    if text or low.endswith(_MEDIA_SUFFIXES) or head.startswith(_MEDIA_MAGIC):
        return None
    severity = "medium" if size >= policy.opaque_blob_bytes else "low"
    return Finding(
        "opaque-blob",
        severity,
        path,
        0,
        f"{size:,} bytes of unrecognised binary data",
        head[:8].hex(),
    )


def file_findings(
    files: Mapping[str, bytes],
    sizes: Mapping[str, int],
    permissions: Collection[str],
    policy: Policy,
) -> list[Finding]:
    """Startup hooks, standard-library shadowing, bundled binaries and opaque blobs."""
    folders_with_init = {
        p.rsplit("/", 1)[0] if "/" in p else ""
        for p in files
        if p == "__init__.py" or p.endswith("/__init__.py")
    }
    out: list[Finding] = []
    declared_native = "native" in permissions
    for path, data in files.items():
        for finding in (
            _hooks(path, folders_with_init),
            _shadowing_package(path, folders_with_init),
            _binary(path, data[:4096], sizes.get(path, len(data)), declared_native, policy),
        ):
            if finding is not None:
                out.append(finding)
    return out
