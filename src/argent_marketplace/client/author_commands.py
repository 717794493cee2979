"""Author commands: ``keygen``, ``pack``, ``sign``, ``verify``, ``inspect``.

Each accepts ``--json``; exit codes are listed in docs/cli.md and
:class:`argent_marketplace.errors.ExitCode`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from argent_marketplace.client.output import JSON_HELP, Outcome, echo, run_command
from argent_marketplace.client.paths import default_key_path
from argent_marketplace.package.signing import (
    fingerprint,
    generate_private_key,
    key_file_is_exposed,
    load_private_key,
    public_key_b64,
    write_private_key,
)
from argent_marketplace.package.verify import VerificationReport, check_package
from argent_marketplace.package.writer import pack_folder, sign_package

__all__ = ["inspect", "keygen", "pack", "sign", "verify"]

# Path arguments are not vetted by click (exists, dir_okay...): the commands' own checks
# report a wrong path in the one documented error shape and exit code, not as usage errors.


def _human_size(n: int) -> str:
    if n < 1000:
        return f"{n} B"
    if n < 1_000_000:
        return f"{n / 1000:.1f} kB"
    return f"{n / 1_000_000:.1f} MB"


def _load_key(path: Path) -> Ed25519PrivateKey:
    key = load_private_key(path)
    if key_file_is_exposed(path):
        echo(f"warning: {path} is readable by other users; run 'chmod 600 {path}'", err=True)
    return key


@click.command()
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path),
    default=None,
    help="Where to write the private key (default: $ARGENTOS_HOME/keys/marketplace-ed25519.pem).",
)
@click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
def keygen(out: Path | None, as_json: bool) -> None:
    """Create an Ed25519 signing key and print its public key.

    The private key is written as PKCS#8 PEM with mode 0600 and never
    overwrites an existing file. The last line printed is the public key
    (base64 of 32 bytes) to paste into argent.plugin.json "author.publicKey".
    """

    def body() -> Outcome:
        path = out or default_key_path()
        key = generate_private_key()
        write_private_key(key, path)
        pub = public_key_b64(key)
        text = (
            f"Wrote private key {path} (mode 0600). Keep it secret: never commit or pack it.\n"
            f"Fingerprint: {fingerprint(pub)}\n"
            f'Public key for argent.plugin.json "author.publicKey":\n{pub}'
        )
        return Outcome(
            {"private_key_path": str(path), "public_key": pub, "fingerprint": fingerprint(pub)},
            text,
        )

    run_command("keygen", as_json, body)


@click.command()
@click.argument("folder", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    help="Output file (default: ./aos-<name>.argent-pkg).",
)
@click.option(
    "--key",
    "key_file",
    type=click.Path(path_type=Path),
    default=None,
    help="Sign with this private key (must match author.publicKey).",
)
@click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
def pack(folder: Path, output: Path | None, key_file: Path | None, as_json: bool) -> None:
    """Build a reproducible .argent-pkg from a connector FOLDER.

    Build junk (.venv, __pycache__, *.pyc, .git, .pytest_cache, *.egg-info,
    .DS_Store, .env) and whatever .argentignore lists are left out. The same
    folder always packs to the same bytes (SOURCE_DATE_EPOCH is honoured).
    With --key, SHA256SUMS and SIGNATURE are added.
    """

    def body() -> Outcome:
        key = _load_key(key_file) if key_file else None
        result = pack_folder(folder, output, key)
        manifest = result.report.manifest
        assert manifest is not None and result.report.contents is not None
        files = len(result.report.contents.files)
        state = "signed" if result.signed else "unsigned (sign it with 'argent marketplace sign')"
        text = (
            f"Packed {manifest.name} {manifest.version} -> {result.path}\n"
            f"  {files} files, {_human_size(result.size)}, {state}\n"
            f"  sha256 {result.sha256}"
        )
        return Outcome(
            {
                "path": str(result.path),
                "name": manifest.name,
                "version": manifest.version,
                "files": files,
                "size": result.size,
                "sha256": result.sha256,
                "signed": result.signed,
            },
            text,
        )

    run_command("pack", as_json, body)


@click.command()
@click.argument("package", type=click.Path(path_type=Path))
@click.option(
    "--key",
    "key_file",
    type=click.Path(path_type=Path),
    required=True,
    help="The private key whose public half is author.publicKey.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    help="Write the signed package here instead of replacing PACKAGE.",
)
@click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
def sign(package: Path, key_file: Path, output: Path | None, as_json: bool) -> None:
    """Add or replace SHA256SUMS and SIGNATURE in PACKAGE."""

    def body() -> Outcome:
        result = sign_package(package, _load_key(key_file), output)
        manifest = result.report.manifest
        assert manifest is not None
        return Outcome(
            {
                "path": str(result.path),
                "name": manifest.name,
                "version": manifest.version,
                "sha256": result.sha256,
                "fingerprint": fingerprint(manifest.public_key),
            },
            f"Signed {manifest.name} {manifest.version} -> {result.path}\n"
            f"  key {fingerprint(manifest.public_key)}\n  sha256 {result.sha256}",
        )

    run_command("sign", as_json, body)


def _report_result(package: Path, report: VerificationReport) -> dict[str, Any]:
    result: dict[str, Any] = {"package": str(package), "signature": report.signature}
    if report.contents is not None:
        listing = report.contents.listing
        result.update(
            sha256=listing.sha256,
            size=listing.compressed_size,
            uncompressed_size=listing.uncompressed_size,
        )
    if report.manifest_doc is not None:
        result["manifest"] = report.manifest_doc
    if report.manifest is not None:
        result["fingerprint"] = fingerprint(report.manifest.public_key)
    return result


@click.command()
@click.argument("package", type=click.Path(path_type=Path))
@click.option(
    "--public-key",
    default=None,
    metavar="B64",
    help="Also require the package to be signed by this public key.",
)
@click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
def verify(package: Path, public_key: str | None, as_json: bool) -> None:
    """Check PACKAGE: archive safety, manifest, checksums and signature.

    Exits 0 only when everything holds. Otherwise prints the first problem
    (--json: all of them) and exits non-zero (see docs/cli.md).
    """

    def body() -> Outcome:
        report = check_package(package, public_key=public_key)
        result = _report_result(package, report)
        result["ok"] = report.ok
        result["problems"] = [p.to_dict() for p in report.problems]
        if report.problems:
            first = report.problems[0]
            return Outcome(result, "", first.exit_code, list(report.problems))
        manifest = report.manifest
        assert manifest is not None and report.contents is not None
        text = (
            f"OK {manifest.name} {manifest.version}: signature and "
            f"{len(report.contents.files) - 2} checksums verified\n"
            f"  signed by {manifest.author_name} ({fingerprint(manifest.public_key)})\n"
            f"  sha256 {report.contents.listing.sha256}"
        )
        return Outcome(result, text)

    run_command("verify", as_json, body)


@click.command()
@click.argument("package", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
def inspect(package: Path, as_json: bool) -> None:
    """Show PACKAGE's manifest, files with sizes, and signature state.

    Exits 0 whenever the archive itself can be read safely, even if the
    package would not verify; use 'verify' to gate on it.
    """

    def body() -> Outcome:
        report = check_package(package, require_signature=False)
        if report.contents is None:
            raise report.problems[0]
        result = _report_result(package, report)
        files = [
            {"path": f.path, "size": f.size, "mode": f"{f.mode:04o}", "sha256": f.sha256}
            for f in report.contents.files.values()
        ]
        result["files"] = files
        result["problems"] = [p.to_dict() for p in report.problems]
        lines = [f"Package: {package}", f"Signature: {report.signature}"]
        if "fingerprint" in result:
            lines.append(f"Key: {result['fingerprint']}")
        if report.manifest_doc is not None:
            lines += ["Manifest:", json.dumps(report.manifest_doc, indent=2, ensure_ascii=False)]
        width = max((len(p) for p in report.contents.files), default=4)
        lines.append(f"Files ({len(files)}):")
        lines += [
            f"  {f.mode:04o}  {f.path:<{width}}  {_human_size(f.size):>9}"
            for f in report.contents.files.values()
        ]
        if report.problems:
            lines.append(f"Problems ({len(report.problems)}):")
            lines += [f"  [{p.code}] {p.message}" for p in report.problems]
        return Outcome(result, "\n".join(lines))

    run_command("inspect", as_json, body)
