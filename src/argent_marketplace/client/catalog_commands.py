"""``argent marketplace search|details|install|update|list|uninstall``: the user side.

Every install goes through :class:`client.install.Installer`, which verifies the
archive, its signature, its author's registered key and the pinned key before
anything lands in ``$ARGENTOS_HOME/connectors``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from argent_marketplace.catalog.semver import precedence
from argent_marketplace.client.api import MarketplaceApi
from argent_marketplace.client.argentos import license_key
from argent_marketplace.client.config import load_config
from argent_marketplace.client.download import Progress
from argent_marketplace.client.errors import ApiError, InstallConflict
from argent_marketplace.client.install import Installer, InstallOptions, InstallResult
from argent_marketplace.client.installed import installed_connectors
from argent_marketplace.client.output import JSON_HELP, Outcome, echo, run_command, terminal_safe
from argent_marketplace.client.paths import argentos_home
from argent_marketplace.package.manifest import CATEGORIES, PRICING

__all__ = ["details", "install", "list_installed", "search", "uninstall", "update"]

RESTART = "It is available to the agent after the next gateway restart."


def _server_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--server",
        default=None,
        metavar="URL",
        help="Marketplace URL (env ARGENT_MARKETPLACE_URL; default: the saved "
        "one, else http://127.0.0.1:8000).",
    )(fn)


def _api(server: str | None) -> MarketplaceApi:
    return MarketplaceApi(load_config(server, None).server)


def _license(server: str | None) -> str | None:
    """The license key to send to this command's server (docs/licensing.md)."""
    return license_key(server=load_config(server, None).server)


def _notify(message: str) -> None:
    echo(message, err=True)


def _progress(total: int) -> Progress | None:
    """A progress bar on a terminal; nothing when piped."""
    if not sys.stderr.isatty() or total < 256 * 1024:
        return None
    bar = click.progressbar(length=total, label="downloading", file=sys.stderr)
    bar.__enter__()

    def advance(n: int) -> None:
        bar.update(n)
        if bar.pos >= total:
            bar.__exit__(None, None, None)

    return advance


def _cell(text: object, width: int) -> str:
    value = terminal_safe(str(text), one_line=True)
    return value if len(value) <= width else value[: width - 1] + "…"


@click.command()
@click.argument("query", required=False, default="")
@click.option(
    "-c", "--category", type=click.Choice(CATEGORIES), default=None, help="Only this category."
)
@click.option(
    "-t", "--tag", "tags", multiple=True, help="Only packages with this tag (repeatable)."
)
@click.option("-p", "--pricing", type=click.Choice(PRICING), default=None, help="Only this price.")
@click.option(
    "-s",
    "--sort",
    type=click.Choice(("relevance", "downloads", "updated", "name")),
    default=None,
    help="Order (default: relevance with words, else downloads).",
)
@click.option("-l", "--limit", default=20, show_default=True, type=click.IntRange(1, 100))
@click.option("--offset", default=0, show_default=True, type=click.IntRange(0, 100_000))
@_server_option
@click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
def search(
    *,
    query: str,
    category: str | None,
    tags: tuple[str, ...],
    pricing: str | None,
    sort: str | None,
    limit: int,
    offset: int,
    server: str | None,
    as_json: bool,
) -> None:
    """Find packages; QUERY words match names, descriptions and tags by prefix.

    With a license key configured, the org-private packages it covers are included.
    """

    def body() -> Outcome:
        params: dict[str, str | int] = {"q": query, "limit": limit}
        optional = {"category": category, "pricing": pricing, "sort": sort}
        params.update({k: v for k, v in optional.items() if v})
        if offset:
            params["offset"] = offset
        if tags:
            params["tags"] = ",".join(tags)
        with _api(server) as api:
            found = api.search(license_key=_license(server), **params)
        rows = [
            (
                i["name"],
                i["latest_version"] or "",
                i["pricing"],
                i["total_downloads"],
                i["description"],
            )
            for i in found["items"]
        ]
        if not rows:
            return Outcome(found, f"No packages match '{query}'." if query else "No packages.")
        head = click.style(
            f"{'NAME':<28} {'VERSION':<12} {'PRICING':<10} {'DOWNLOADS':>9}  DESCRIPTION", bold=True
        )
        lines = [head] + [
            f"{click.style(_cell(n, 28).ljust(28), fg='cyan')} {_cell(v, 12):<12} "
            f"{_cell(p, 10):<10} {d:>9}  {_cell(desc, 60)}"
            for n, v, p, d, desc in rows
        ]
        # Broad text searches count matches only up to a bound (docs/server.md, Catalog).
        more = "+" if found.get("total_is_lower_bound") else ""
        lines.append(f"{found['total']}{more} package(s); showing {len(rows)}.")
        return Outcome(found, "\n".join(lines), styled=True)

    run_command("search", as_json, body)


@click.command()
@click.argument("ref")
@_server_option
@click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
def details(ref: str, server: str | None, as_json: bool) -> None:
    """Show everything about a package (by name or id): versions, permissions, scan summary."""

    def body() -> Outcome:
        with _api(server) as api:
            info = api.details(ref, _license(server))
        latest = info["latest"]
        verified = " (verified)" if info["author_verified"] else ""
        price = "" if info["pricing"] == "free" else f" ({info['price_cents'] / 100:.2f})"
        scan = info.get("scan", {})
        lines = [
            f"{info['name']} {latest['version']} - {info['display_name']}",
            f"  {info['description']}",
            f"  author: {info['author_name']}{verified}",
            f"  category: {info['category']}   tags: {', '.join(info['tags']) or '-'}",
            f"  pricing: {info['pricing']}{price}   downloads: {info['total_downloads']}",
            f"  ArgentOS: {latest.get('argentos_range') or latest['min_argent_version']}",
            f"  permissions: {', '.join(latest['permissions']) or 'none'}",
            f"  tools: {', '.join(latest['tools']) or '-'}",
            f"  scan: {_scan_summary(scan)}",
            f"  sha256: {latest['sha256']}",
            f"Versions ({info['version_count']}):",
        ]
        for v in info["versions"]:
            yanked = " [yanked]" if v["yanked"] else ""
            lines.append(f"  {v['version']}{yanked}  {v['published_at']}  {v['changelog'] or ''}")
        return Outcome(info, "\n".join(lines))

    run_command("details", as_json, body)


def _scan_summary(scan: dict[str, Any]) -> str:
    """``no findings`` or ``3 findings (1 medium, 2 info)``, worst first."""
    count = int(scan.get("findings", 0) or 0)
    if not count:
        return "no findings"
    order = ("critical", "high", "medium", "low", "info")
    by = scan.get("by_severity") or {}
    parts = [f"{by[s]} {s}" for s in order if by.get(s)]
    noun = "finding" if count == 1 else "findings"
    return f"{count} {noun} ({', '.join(parts)})" if parts else f"{count} {noun}"


def _options(**kw: Any) -> InstallOptions:  # noqa: ANN401 - click's option values
    return InstallOptions(
        version=kw.get("version"),
        force=kw.get("force", False),
        allow_downgrade=kw.get("allow_downgrade", False),
        accept_new_key=kw.get("accept_new_key", False),
        with_harness=kw.get("with_harness", False),
        argentos_version=kw.get("argentos_version"),
        public_key=kw.get("public_key"),
        license_key=_license(kw.get("server")),
        deadline_seconds=kw.get("timeout", 300.0),
    )


def _result_text(result: InstallResult) -> str:
    lines = [*result.notes]
    if not result.changed:
        lines.append(
            f"{result.name} {result.version} is already installed (use --force to reinstall)."
        )
        return "\n".join(lines)
    verb = "Installed"
    if result.previous_version == result.version:
        verb = "Reinstalled"
    elif result.previous_version:
        verb = "Updated"
    since = f" (was {result.previous_version})" if verb == "Updated" else ""
    lines += [
        f"{verb} {result.name} {result.version}{since} in {result.path}",
        f"  verified: signature by {result.key_fingerprint}, sha256 {result.sha256}",
        RESTART,
    ]
    return "\n".join(lines)


def _install_flags(fn: Callable[..., Any]) -> Callable[..., Any]:
    for decorator in (
        click.option(
            "--with-harness",
            is_flag=True,
            help="Also create agent-harness/.venv and install the harness in it.",
        ),
        click.option(
            "--allow-downgrade", is_flag=True, help="Install an older version on purpose."
        ),
        click.option(
            "--accept-new-key",
            is_flag=True,
            help="Trust a signing key other than the one pinned at first install.",
        ),
        click.option(
            "--argentos-version",
            default=None,
            metavar="VERSION",
            help="The local ArgentOS version (default: from ~/.argentos/argent.json).",
        ),
        click.option(
            "--timeout",
            default=300.0,
            show_default=True,
            type=click.FloatRange(1),
            help="Give up a download after this many seconds.",
        ),
        _server_option,
        click.option("--json", "as_json", is_flag=True, help=JSON_HELP),
    ):
        fn = decorator(fn)
    return fn


@click.command()
@click.argument("spec")
@click.option(
    "--force",
    is_flag=True,
    help="Reinstall the same version, or install despite ArgentOS compatibility.",
)
@click.option(
    "--public-key",
    default=None,
    metavar="B64",
    help="For a local file: the author's public key to trust.",
)
@_install_flags
def install(spec: str, **kw: Any) -> None:  # noqa: ANN401 - click's option values
    """Install NAME[@VERSION] from the marketplace, or a local ./FILE.argent-pkg.

    Verified before anything lands: sha256, signature, checksums, the author's
    registered key and the key pinned at first install; then swapped in
    atomically (the previous version stays until the new one is in place).
    """

    def body() -> Outcome:
        installer = Installer(argentos_home(), notify=_notify)
        path = Path(spec)
        if spec.endswith(".argent-pkg") or path.is_file():
            result = installer.install_file(path, _options(**kw))
        else:
            name, _, version = spec.partition("@")
            with _api(kw["server"]) as api:
                result = installer.install(
                    api, name, _options(**kw, version=version or None), progress=_progress
                )
        return Outcome(result.to_dict(), _result_text(result))

    run_command("install", kw["as_json"], body)


@click.command()
@click.argument("name", required=False)
@click.option("--all", "update_all", is_flag=True, help="Update every installed connector.")
@_install_flags
def update(name: str | None, update_all: bool, **kw: Any) -> None:  # noqa: ANN401 - click's option values
    """Install newer compatible versions of NAME, or of everything with --all."""

    def body() -> Outcome:
        if not name and not update_all:
            raise InstallConflict(
                "say which connector to update",
                code="nothing-to-update",
                hint="argent marketplace update NAME, or --all",
            )
        installer = Installer(argentos_home(), notify=_notify)
        names = [name] if name else [r.name for r in installed_connectors(installer.connectors)]
        results, lines = [], []
        with _api(kw["server"]) as api:
            for each in names:
                try:
                    result = installer.install(api, each, _options(**kw), progress=_progress)
                except InstallConflict as exc:
                    if not update_all:
                        raise
                    lines.append(f"skipped {each}: {exc.message}")
                    continue
                results.append(result.to_dict())
                lines.append(_result_text(result))
        return Outcome({"updated": results}, "\n".join(lines) or "Nothing installed.")

    run_command("update", kw["as_json"], body)


@click.command(name="list")
@click.option("--outdated", is_flag=True, help="Only those with a newer version available.")
@_server_option
@click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
def list_installed(outdated: bool, server: str | None, as_json: bool) -> None:
    """Show installed connectors, their versions and available updates."""

    def body() -> Outcome:
        installer = Installer(argentos_home(), notify=_notify)
        installer.settle(wait=False)  # a crashed run's swap first, unless one is running
        records = installed_connectors(installer.connectors)
        rows: list[dict[str, Any]] = [{**r.to_dict(), "latest": None} for r in records]
        if outdated or as_json:
            key = _license(server)
            with _api(server) as api:
                for row in rows:
                    try:
                        row["latest"] = api.details(row["name"], key)["latest_version"]
                    except ApiError:
                        row["latest"] = None
        if outdated:
            rows = [
                r
                for r in rows
                if r["latest"] and precedence(r["latest"]) > precedence(r["version"])
            ]
        text = "\n".join(
            f"{r['name']:<28} {r['version']:<12}"
            + (f" -> {r['latest']}" if r["latest"] and r["latest"] != r["version"] else "")
            for r in rows
        ) or ("Everything is up to date." if outdated else "No connectors installed.")
        return Outcome({"connectors": rows}, text)

    run_command("list", as_json, body)


@click.command()
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
def uninstall(name: str, as_json: bool) -> None:
    """Remove an installed connector (its trusted key stays pinned)."""

    def body() -> Outcome:
        record = Installer(argentos_home(), notify=_notify).uninstall(name)
        return Outcome(
            record.to_dict(),
            f"Removed {record.name} {record.version}. The agent stops using it after the next "
            "gateway restart.",
        )

    run_command("uninstall", as_json, body)
