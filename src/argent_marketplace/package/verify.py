"""Verification of a package: bytes in, a verified package or an error out.

The steps, numbered as the error codes are reported (first problem first):

1. The archive is a well-formed gzipped tar within :class:`Limits` (reader).
2. ``argent.plugin.json``, ``connector.json``, ``README.md`` and at least one
   file under ``agent-harness/`` are present, and no folder entry is empty
   (``SHA256SUMS`` lists files, so an empty folder is content no signature covers).
3. The manifest obeys spec Step 1; ``connector.json`` has the keys real
   connectors have and agrees with the manifest on ``tool`` and ``version``.
4. ``SHA256SUMS`` and ``SIGNATURE`` are present and well-formed.
5. ``SIGNATURE`` verifies over the exact bytes of ``SHA256SUMS`` with
   ``author.publicKey`` (and that key is the one the caller expects).
6. ``SHA256SUMS`` lists every other file exactly once, nothing more, and every
   hash matches.

No step touches disk or network: callers bring the bytes (a path is opened and
streamed, never extracted), so the server and the client verify identically.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

from argent_marketplace.package.checksums import SHA256SUMS, SIGNATURE, parse_sums
from argent_marketplace.package.errors import (
    ArchiveError,
    IntegrityError,
    ManifestError,
    PackageError,
    SigningKeyError,
)
from argent_marketplace.package.jsondoc import load_json_object
from argent_marketplace.package.limits import DEFAULT_LIMITS, Limits
from argent_marketplace.package.manifest import (
    CONNECTOR_FILE,
    MANIFEST_FILE,
    Manifest,
    build_manifest,
    connector_problems,
    manifest_problems,
)
from argent_marketplace.package.reader import (
    ArchiveListing,
    MemberInfo,
    PackageSource,
    read_archive,
)
from argent_marketplace.package.signing import decode_public_key, fingerprint, verify_signature

__all__ = [
    "BUFFERED_FILES",
    "FileEntry",
    "PackageContents",
    "SignatureState",
    "VerificationReport",
    "VerifiedPackage",
    "check_package",
    "read_contents",
    "verify_package",
]

README_FILE = "README.md"
HARNESS_DIR = "agent-harness"
BUFFERED_FILES = frozenset({MANIFEST_FILE, CONNECTOR_FILE, SHA256SUMS, SIGNATURE})
"""The files kept in memory while streaming (capped by ``max_control_file_bytes``)."""

SignatureState = Literal["valid", "invalid", "unsigned", "unchecked"]


class FileEntry(NamedTuple):
    """A regular file of the package, hashed while it streamed past (a tuple: cheap)."""

    path: str
    size: int
    mode: int
    sha256: str


@dataclass(frozen=True, slots=True)
class PackageContents:
    """One pass over a package: every file's digest plus the small control files."""

    listing: ArchiveListing
    files: dict[str, FileEntry]
    control: dict[str, bytes]


class _Digester:
    """One sink for the whole walk: hashes each file, keeps only the control files.

    A single reused object (rather than one per file) keeps the per-member cost of
    verification low; the reader calls ``open`` then ``write``/``close`` in order.
    """

    def __init__(self, limits: Limits) -> None:
        self.keep_limit = limits.max_control_file_bytes
        self.files: dict[str, FileEntry] = {}
        self.control: dict[str, bytes] = {}
        self.info: MemberInfo | None = None
        self.hasher = hashlib.sha256()
        self.buffer: bytearray | None = None

    def open(self, info: MemberInfo) -> _Digester:
        self.info = info
        self.hasher = hashlib.sha256()
        self.buffer = bytearray() if info.path in BUFFERED_FILES else None
        return self

    def write(self, chunk: bytes) -> None:
        self.hasher.update(chunk)
        if self.buffer is not None:
            if len(self.buffer) + len(chunk) > self.keep_limit:
                path = self.info.path if self.info else "?"
                raise ArchiveError(
                    f"{path} is over {self.keep_limit} bytes",
                    code="control-file-too-large",
                    hint="control files are small JSON or text files; shrink it",
                    details={
                        "member": path,
                        "limit": self.keep_limit,
                        "limit_name": "max_control_file_bytes",
                    },
                )
            self.buffer += chunk

    def close(self) -> None:
        info = self.info
        assert info is not None  # open() always comes first
        self.files[info.path] = FileEntry(info.path, info.size, info.mode, self.hasher.hexdigest())
        if self.buffer is not None:
            self.control[info.path] = bytes(self.buffer)


def read_contents(source: PackageSource, limits: Limits = DEFAULT_LIMITS) -> PackageContents:
    """Stream a package once, hashing every file and keeping only the control files.

    Raises:
        ArchiveError: The archive is unsafe or malformed.
    """
    digester = _Digester(limits)
    listing = read_archive(source, digester.open, limits)
    return PackageContents(listing, digester.files, digester.control)


@dataclass(frozen=True, slots=True)
class VerificationReport:
    """Everything ``verify`` found; ``problems`` is empty when the package is good."""

    contents: PackageContents | None
    manifest: Manifest | None
    manifest_doc: dict[str, Any] | None
    signature: SignatureState
    problems: tuple[PackageError, ...] = field(default=())

    @property
    def ok(self) -> bool:
        """Whether no step failed."""
        return not self.problems


@dataclass(frozen=True, slots=True)
class VerifiedPackage:
    """A package whose signature, checksums and manifest all hold."""

    manifest: Manifest
    contents: PackageContents
    key_fingerprint: str

    @property
    def sha256(self) -> str:
        """sha256 of the package file itself (what the server stores it under)."""
        return self.contents.listing.sha256


def _missing(path: str, hint: str) -> PackageError:
    return ManifestError(
        f"{path} is missing from the package",
        code="missing-file",
        hint=hint,
        details={"member": path},
    )


def _structure_problems(contents: PackageContents) -> list[PackageError]:
    out: list[PackageError] = []
    for path, hint in (
        (MANIFEST_FILE, "add argent.plugin.json (see README: 'Create the manifest')"),
        (CONNECTOR_FILE, "add the connector's connector.json"),
        (README_FILE, "add a README.md describing the connector"),
    ):
        if path not in contents.files:
            out.append(_missing(path, hint))
    if not any(p.startswith(HARNESS_DIR + "/") for p in contents.files):
        out.append(_missing(HARNESS_DIR + "/", "add the connector's agent-harness/ folder"))
    out.extend(_empty_folder_problems(contents))
    return out


def _empty_folder_problems(contents: PackageContents) -> list[PackageError]:
    """Folder entries with no file beneath them: content that SHA256SUMS cannot cover.

    ``tar -czf`` writes folder entries, which are fine when files follow; an empty
    one would be extracted although no signature vouches for it, so it is refused.
    """
    folders = [m.path for m in contents.listing.members if m.kind == "dir"]
    if not folders:  # pack writes none: no cost on the usual path
        return []
    used = {
        path.rsplit("/", i)[0] for path in contents.files for i in range(1, path.count("/") + 1)
    }
    return [
        IntegrityError(
            f"folder '{folder}/' is empty; SHA256SUMS lists files only, so nothing covers it",
            code="empty-directory",
            hint="remove empty folders from the package ('argent marketplace sign' drops them)",
            details={"member": folder},
        )
        for folder in folders
        if folder not in used
    ]


def _document_problems(
    contents: PackageContents,
) -> tuple[list[PackageError], dict[str, Any] | None, Manifest | None]:
    out: list[PackageError] = []
    doc: dict[str, Any] | None = None
    manifest: Manifest | None = None
    if MANIFEST_FILE in contents.control:
        try:
            doc = load_json_object(contents.control[MANIFEST_FILE], MANIFEST_FILE)
        except ManifestError as exc:
            out.append(exc)
        else:
            found = manifest_problems(doc)
            out.extend(found)
            if not found:
                manifest = build_manifest(doc)
    if CONNECTOR_FILE in contents.control:
        try:
            connector = load_json_object(contents.control[CONNECTOR_FILE], CONNECTOR_FILE)
        except ManifestError as exc:
            out.append(exc)
        else:
            out.extend(connector_problems(connector, doc))
    return out, doc, manifest


def _integrity_problems(
    contents: PackageContents, doc: dict[str, Any] | None, expected_key: str | None
) -> tuple[list[PackageError], SignatureState]:
    sums_bytes = contents.control.get(SHA256SUMS)
    sig_bytes = contents.control.get(SIGNATURE)
    if sums_bytes is None or sig_bytes is None:
        missing = SHA256SUMS if sums_bytes is None else SIGNATURE
        return [
            IntegrityError(
                f"the package is not signed ({missing} is missing)",
                code="unsigned-package",
                hint="sign it with 'argent marketplace sign PKG --key KEYFILE'",
            )
        ], "unsigned"
    out: list[PackageError] = []
    try:
        sums = parse_sums(sums_bytes, known=contents.files.keys())
    except IntegrityError as exc:
        return [exc], "unchecked"
    state: SignatureState = "unchecked"
    author = doc.get("author") if doc else None
    key = author.get("publicKey") if isinstance(author, dict) else None
    if isinstance(key, str):
        try:
            # (5) the signature verifies over the exact bytes of SHA256SUMS
            verify_signature(sums_bytes, sig_bytes, key)
            state = "valid"
        except IntegrityError as exc:
            out.append(exc)
            state = "invalid"
        except SigningKeyError:
            pass  # already reported as a manifest problem
        if expected_key is not None and not _same_key(key, expected_key):
            out.append(
                IntegrityError(
                    "the package is signed by a different key than expected",
                    code="key-mismatch",
                    hint="check --public-key; the author.publicKey in the package is another key",
                    details={"expected": expected_key, "found": key},
                )
            )
    out.extend(_checksum_problems(contents, sums))
    return out, state


def _same_key(a: str, b: str) -> bool:
    try:
        return hmac.compare_digest(decode_public_key(a), decode_public_key(b, field="--public-key"))
    except SigningKeyError:
        return False


def _checksum_problems(contents: PackageContents, sums: dict[str, str]) -> list[PackageError]:
    # (6) SHA256SUMS covers every file exactly once and every hash matches.
    out: list[PackageError] = []
    for path, entry in contents.files.items():
        if path in (SHA256SUMS, SIGNATURE):
            continue
        listed = sums.get(path)
        if listed is None:
            out.append(
                IntegrityError(
                    f"{path} is in the package but not in SHA256SUMS",
                    code="unlisted-file",
                    hint="re-sign the package so SHA256SUMS covers every file",
                    details={"member": path},
                )
            )
        elif not hmac.compare_digest(listed, entry.sha256):
            out.append(
                IntegrityError(
                    f"{path} does not match its SHA256SUMS hash (altered after signing?)",
                    code="checksum-mismatch",
                    hint="do not edit a signed package; rebuild and re-sign it",
                    details={"member": path, "expected": listed, "actual": entry.sha256},
                )
            )
    for path in sums:
        if path not in contents.files:
            out.append(
                IntegrityError(
                    f"SHA256SUMS lists {path}, which is not in the package",
                    code="missing-listed-file",
                    hint="rebuild and re-sign the package",
                    details={"member": path},
                )
            )
    return out


def check_package(
    source: PackageSource,
    *,
    public_key: str | None = None,
    require_signature: bool = True,
    limits: Limits = DEFAULT_LIMITS,
) -> VerificationReport:
    """Run every verification step and collect all problems instead of stopping.

    Args:
        source: The package.
        public_key: When given, the package must be signed by exactly this key (base64).
        require_signature: ``False`` reports an unsigned package without a problem
            (``inspect`` and ``sign`` use this).
        limits: Caps for the archive reader.

    Returns:
        The report; an unsafe archive yields a single problem and no contents.
    """
    if public_key is not None:
        decode_public_key(public_key, field="--public-key")
    try:
        # (1) a well-formed gzipped tar within limits
        contents = read_contents(source, limits)
    except ArchiveError as exc:
        return VerificationReport(None, None, None, "unchecked", (exc,))
    # (2) required files, (3) manifest and connector.json
    problems: list[PackageError] = _structure_problems(contents)
    doc_problems, doc, manifest = _document_problems(contents)
    problems += doc_problems
    # (4)-(6) SHA256SUMS, SIGNATURE and the files they cover
    integrity, state = _integrity_problems(contents, doc, public_key)
    if state == "unsigned" and not require_signature:
        integrity = []
    problems += integrity
    return VerificationReport(contents, manifest, doc, state, tuple(problems))


def verify_package(
    source: PackageSource, *, public_key: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> VerifiedPackage:
    """Verify a package completely; return it only when every step holds.

    Raises:
        PackageError: The first problem found (an ``ArchiveError``, ``ManifestError``,
            ``IntegrityError`` or ``SigningKeyError``).
    """
    report = check_package(source, public_key=public_key, limits=limits)
    if report.problems:
        raise report.problems[0]
    assert report.manifest is not None and report.contents is not None  # no problems
    return VerifiedPackage(
        manifest=report.manifest,
        contents=report.contents,
        key_fingerprint=fingerprint(report.manifest.public_key),
    )
