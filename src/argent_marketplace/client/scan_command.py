"""``argent marketplace scan DIR|PKG``: the publish scan, run locally before publishing.

The same scanner, rules and verdict as the server (the spec's certification
gates), on a connector folder (read like ``pack`` reads it, ``.argentignore``
honoured) or on a package file (read by the same safe reader as ``verify``).
Exits 0 only when the package would be published at once; 9 when it would wait
for review or be blocked; the usual codes for a folder or package that would
not even be accepted.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from argent_marketplace.client.output import Outcome, run_command
from argent_marketplace.package.errors import SourceError
from argent_marketplace.package.verify import VerificationReport, check_package
from argent_marketplace.package.writer import DEFAULT_MTIME, build_archive, collect_folder
from argent_marketplace.scan.errors import ScanBlocked
from argent_marketplace.scan.inputs import ScanFiles, files_from_entries, read_package_files
from argent_marketplace.scan.policy import DEFAULT_POLICY, load_policy
from argent_marketplace.scan.scanner import PackageScanner, ScanContext

__all__ = ["scan"]

_STATUS_WORDS = {
    "published": "would be published",
    "pending_review": "would wait for a moderator (pending_review)",
    "flagged": "would be blocked (flagged)",
}


def _read_names(path: Path | None) -> list[str]:
    if path is None:
        return []
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(
            f"cannot read {path}: {exc}",
            code="unreadable-names",
            hint="give a UTF-8 file with one package name per line",
        ) from exc
    return [line.strip() for line in text.splitlines() if line.strip()]


def _collect(target: Path) -> tuple[VerificationReport, ScanFiles]:
    """What a folder or package holds, or its first problem (as ``pack``/``verify`` say it).

    Raises:
        PackageError: The folder or package would be refused before any scan.
    """
    if target.is_dir():
        entries = collect_folder(target)
        report = check_package(build_archive(entries, DEFAULT_MTIME), require_signature=False)
        if report.problems:
            raise report.problems[0]
        return report, files_from_entries(entries)
    report = check_package(target, require_signature=False)
    if report.problems:
        raise report.problems[0]
    return report, read_package_files(target)


def _text(result: dict[str, Any]) -> str:
    findings = result["findings"]
    lines = [
        f"{result['name']} {result['version']}: {_STATUS_WORDS[result['status']]} "
        f"({len(findings)} finding{'s' if len(findings) != 1 else ''}, {result['files']} files "
        f"scanned in {result['seconds'] * 1000:.0f} ms)"
    ]
    used = result["capabilities"]
    lines.append(
        "  capabilities used: "
        + (
            ", ".join(
                f"{cap} ({uses[0]['file']}:{uses[0]['line']})" for cap, uses in sorted(used.items())
            )
            or "none"
        )
    )
    lines.append("  permissions declared: " + (", ".join(result["permissions"]) or "none"))
    if findings:
        lines.append("Findings:")
        for f in findings:
            lines.append(
                f"  [{f['severity']}] {f['rule']}: {f['file']}:{f['line']}: {f['message']}"
            )
            if f["evidence"]:
                lines.append(f"      {f['evidence']}")
    return "\n".join(lines)


@click.command()
@click.argument("target", type=click.Path(path_type=Path))
@click.option(
    "--names",
    "names_file",
    type=click.Path(path_type=Path),
    default=None,
    help="File of existing package names (one a line) for the typosquatting rule.",
)
@click.option(
    "--policy",
    "policy_file",
    type=click.Path(path_type=Path),
    default=None,
    help="Scan policy TOML (severity overrides, allowances, budgets).",
)
@click.option(
    "--json", "as_json", is_flag=True, help="Print a machine-readable JSON envelope on stdout."
)
def scan(target: Path, names_file: Path | None, policy_file: Path | None, as_json: bool) -> None:
    """Scan a connector FOLDER or PACKAGE as the marketplace will when you publish.

    Prints every finding (rule, severity, file:line, why) and the verdict:
    published, pending_review (a moderator looks first) or flagged (blocked).
    Exits 0 only when it would be published; 9 otherwise.
    """

    def body() -> Outcome:
        policy = load_policy(policy_file) if policy_file else DEFAULT_POLICY
        names = _read_names(names_file)
        report, files = _collect(target)
        manifest = report.manifest
        assert manifest is not None  # no problems at all by now
        context = ScanContext(manifest.name, names, tuple(files.unscanned), files.sizes)
        scanned = PackageScanner(policy).report(files.files, manifest.permissions, context)
        result = {
            "path": str(target),
            "name": manifest.name,
            "version": manifest.version,
            "status": scanned.status,
            "would_publish": scanned.status == "published",
            "permissions": list(manifest.permissions),
            "capabilities": {
                cap: [{"file": u.file, "line": u.line, "evidence": u.evidence} for u in uses]
                for cap, uses in scanned.capabilities.items()
            },
            "findings": [f.to_dict() for f in scanned.findings],
            "files": scanned.files,
            "seconds": round(scanned.seconds, 4),
        }
        if scanned.status == "published":
            return Outcome(result, _text(result))
        blocking = [f for f in scanned.findings if f.severity in ("medium", "high", "critical")]
        error = ScanBlocked(
            f"{manifest.name} {manifest.version} {_STATUS_WORDS[scanned.status]}: "
            f"{len(blocking)} finding(s) at medium or above",
            code="scan-flagged" if scanned.status == "flagged" else "scan-pending-review",
            hint="fix the findings above; a moderator reviews what remains at medium",
        )
        return Outcome(result, _text(result), error.exit_code, [error])

    run_command("scan", as_json, body)
