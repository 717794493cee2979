"""``argent-marketplace``: run and administer the marketplace server.

Admin commands talk to the database and blob store directly (they run on the
server's host, like ``db upgrade``), with the same ``--data-dir`` /
``--database-url`` / ``--storage-url`` options and environment as ``serve``.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sys
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import click
from sqlalchemy.exc import DBAPIError

from argent_marketplace import __version__
from argent_marketplace.accounts.services import create_token, set_verified
from argent_marketplace.catalog.services import find_package, recount_catalog, set_listed
from argent_marketplace.client.output import format_error
from argent_marketplace.db.engine import make_engine, sqlite_url, transaction
from argent_marketplace.db.errors import unreachable
from argent_marketplace.db.metadata import utcnow
from argent_marketplace.db.migrate import upgrade
from argent_marketplace.errors import Error
from argent_marketplace.licensing import services as lic
from argent_marketplace.licensing.ratelimit import prune as prune_rate_limits
from argent_marketplace.moderation import services as moderation
from argent_marketplace.publish.store import collect_garbage
from argent_marketplace.server.services import Services, build_services
from argent_marketplace.server.settings import Settings

__all__ = ["main"]


def _location_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    fn = click.option(
        "--storage-url",
        default=None,
        metavar="URL",
        help="s3://BUCKET?endpoint=http://HOST:PORT (env "
        "ARGENT_MARKETPLACE_STORAGE_URL); default: blobs/ in the data "
        "folder.",
    )(fn)
    fn = click.option(
        "--database-url",
        default=None,
        metavar="URL",
        help="postgresql://USER@HOST/DB (env ARGENT_MARKETPLACE_DATABASE_URL); "
        "default: SQLite in the data folder.",
    )(fn)
    return click.option(
        "--data-dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Embedded database and blobs (env "
        "ARGENT_MARKETPLACE_DATA_DIR; default ~/.local/share/"
        "argent-marketplace).",
    )(fn)


_Loc = Path | str | None


def _settings(kw: dict[str, _Loc]) -> Settings:
    data_dir, database_url, storage_url = (
        kw.get(k) for k in ("data_dir", "database_url", "storage_url")
    )
    try:
        return Settings.from_env(
            data_dir if isinstance(data_dir, Path) else None,
            database_url if isinstance(database_url, str) else None,
            storage_url if isinstance(storage_url, str) else None,
        )
    except Error as err:
        click.echo(format_error(err), err=True)
        sys.exit(err.exit_code)


def _services(**kw: _Loc) -> Services:
    settings = _settings(kw)
    try:
        with _database_errors(settings):
            return build_services(settings)
    except Error as err:
        click.echo(format_error(err), err=True)
        sys.exit(err.exit_code)


@contextlib.contextmanager
def _database_errors(settings: Settings) -> Iterator[None]:
    """A database that cannot be reached becomes one line with a hint, not a traceback."""
    try:
        yield
    except DBAPIError as exc:
        known = unreachable(exc, settings.database_url or sqlite_url(settings.data_dir))
        if known is None:
            raise  # not an operator's problem: the traceback is what a bug report needs
        raise known from exc


def _run(action: Callable[[], None]) -> None:
    try:
        action()
    except Error as err:
        click.echo(format_error(err), err=True)
        sys.exit(err.exit_code)


@click.group(name="argent-marketplace", context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="argent-marketplace")
def cli() -> None:
    """Argent Marketplace server and administration."""


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Server processes (state is shared through the database and blob store).",
)
@click.option(
    "--access-log/--no-access-log",
    default=True,
    show_default=True,
    envvar="ARGENT_MARKETPLACE_ACCESS_LOG",
    help="One log line per request (env ARGENT_MARKETPLACE_ACCESS_LOG=0 turns it off, "
    "e.g. behind a proxy that logs requests itself).",
)
@_location_options
def serve(host: str, port: int, workers: int, access_log: bool, **kw: _Loc) -> None:
    """Serve the marketplace API (SQLite and a local blob folder by default)."""
    import uvicorn  # noqa: PLC0415 - keep admin commands fast to start

    settings = _settings(kw)
    _services(**kw)  # create and migrate once, before any worker starts
    for name, value in (
        ("ARGENT_MARKETPLACE_DATA_DIR", str(settings.data_dir)),
        ("ARGENT_MARKETPLACE_DATABASE_URL", settings.database_url),
        ("ARGENT_MARKETPLACE_STORAGE_URL", settings.storage_url),
    ):
        if value:
            os.environ[name] = value
    where = settings.database_url or sqlite_url(settings.data_dir)
    click.echo(
        f"Argent Marketplace {__version__} on http://{host}:{port} (database {_redact(where)})",
        err=True,
    )
    config = uvicorn.Config(
        "argent_marketplace.server.asgi:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        access_log=access_log,
        # h11, never httptools, even when installed: h11 refuses a request line and header
        # block past 16 KiB while it arrives; uvicorn's httptools protocol buffers any size
        # (a 10 MB header was accepted in a test), a memory lever for any client.
        http="h11",
    )
    if workers == 1:
        uvicorn.Server(config).run()
        return
    # With several workers uvicorn binds the socket itself with protocol 0, and asyncio then
    # never sets TCP_NODELAY: every keep-alive response waits ~40 ms for a delayed ACK.
    # Re-wrapping the bound socket as IPPROTO_TCP restores it (uvicorn issue #3149).
    from uvicorn.supervisors import Multiprocess  # noqa: PLC0415

    bound = config.bind_socket()
    sock = socket.socket(bound.family, bound.type, socket.IPPROTO_TCP, fileno=bound.detach())
    Multiprocess(config, sockets=[sock]).run()


def _redact(url: str) -> str:
    """Never print a database password."""
    from sqlalchemy.engine import make_url  # noqa: PLC0415

    return make_url(url).render_as_string(hide_password=True)


@cli.group()
def db() -> None:
    """Database maintenance."""


@db.command("upgrade")
@_location_options
def db_upgrade(**kw: _Loc) -> None:
    """Apply pending migrations (also done automatically by serve)."""
    settings = _settings(kw)
    settings.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)

    def act() -> None:
        engine = make_engine(settings.database_url or sqlite_url(settings.data_dir))
        try:
            with _database_errors(settings):
                upgrade(engine)
        finally:
            engine.dispose()  # a failed migration's connection is closed, not left to GC

    _run(act)
    click.echo("database is up to date")


@cli.group()
def admin() -> None:
    """Administration: tokens, moderation, authors, cleanup."""


@admin.command("create-token")
@click.option("--label", default="admin", show_default=True)
@_location_options
def create_admin_token(label: str, **kw: _Loc) -> None:
    """Print a new admin token as the last line (shown once, stored hashed)."""
    services = _services(**kw)
    with transaction(services.engine) as conn:
        token = create_token(
            conn, None, ("admin",), label, secret=services.keys.tokens, now=utcnow()
        )
    click.echo("New admin token (shown once; use it as 'Authorization: Bearer ...'):", err=True)
    click.echo(token)


@admin.command("verify-author")
@click.argument("author_id")
@click.option("--unverify", is_flag=True, help="Remove the verified mark.")
@_location_options
def verify_author(author_id: str, unverify: bool, **kw: _Loc) -> None:
    """Mark an author verified."""
    services = _services(**kw)

    def act() -> None:
        with transaction(services.engine) as conn:
            set_verified(conn, author_id, not unverify)

    _run(act)
    click.echo(f"author {author_id} {'un' if unverify else ''}verified")


@admin.command("listing")
@click.argument("package")
@click.option(
    "--private/--public",
    "private",
    required=True,
    help="Private: only licensed catalogs show it, and only a license covering it "
    "opens its details and downloads. Public: the catalog shows it to everyone.",
)
@_location_options
def listing(package: str, private: bool, **kw: _Loc) -> None:
    """Make a package org-private or public (an enterprise license with --also opens it)."""
    services = _services(**kw)
    shown: dict[str, str] = {}

    def act() -> None:
        with transaction(services.engine) as conn:
            row = find_package(conn, package)
            set_listed(conn, row["id"], not private)
            shown["name"] = row["name"]

    _run(act)
    click.echo(f"{shown['name']} is now {'private' if private else 'public'}")


@admin.group()
def review() -> None:
    """Review versions that are pending_review or flagged."""


@review.command("list")
@click.option("--json", "as_json", is_flag=True)
@_location_options
def review_list(as_json: bool, **kw: _Loc) -> None:
    """Versions waiting for a moderator."""
    services = _services(**kw)
    with services.engine.connect() as conn:
        items = moderation.list_reviews(conn)
    if as_json:
        click.echo(json.dumps(items, default=str, indent=2))
        return
    if not items:
        click.echo("nothing to review")
    for item in items:
        click.echo(
            f"{item['id']}  {item['name']} {item['version']}  {item['status']}  "
            f"{item['findings']} findings"
        )


@review.command("show")
@click.argument("version_id")
@_location_options
def review_show(version_id: str, **kw: _Loc) -> None:
    """A version's findings, manifest and history (JSON)."""
    services = _services(**kw)

    def act() -> None:
        with services.engine.connect() as conn:
            click.echo(json.dumps(moderation.show_version(conn, version_id), default=str, indent=2))

    _run(act)


def _moderate(action: str) -> click.Command:
    @click.argument("version_id")
    @click.option("--reason", required=True, help="Why; the author sees it.")
    @_location_options
    def command(version_id: str, reason: str, **kw: _Loc) -> None:
        services = _services(**kw)

        def act() -> None:
            result = moderation.apply_action(
                services.engine,
                services.storage,
                version_id,
                action,
                reason=reason,
                actor=f"cli:{os.environ.get('USER', 'admin')}",
                now=utcnow(),
            )
            click.echo(
                f"{result['name']} {result['version']}: {action} done (status {result['status']})"
            )

        _run(act)

    command.__doc__ = {
        "approve": "Publish a pending or flagged version.",
        "reject": "Refuse a pending or flagged version (never served).",
        "yank": "Hide a version from latest and search (exact installs still work).",
        "unyank": "Undo a yank.",
        "remove": "Delete a version's archive for good; a tombstone keeps its number.",
    }[action]
    return click.command(action)(command)


for _action in moderation.ACTIONS:
    review.add_command(_moderate(_action))


@admin.command("gc")
@click.option("--older-than-minutes", default=60, show_default=True, type=click.IntRange(1))
@_location_options
def gc(older_than_minutes: int, **kw: _Loc) -> None:
    """Delete blobs of uploads that crashed before committing, and old rate-limit counters."""
    services = _services(**kw)
    now = utcnow()
    cleared = collect_garbage(
        services.engine,
        services.storage,
        now=now,
        older_than=timedelta(minutes=older_than_minutes),
    )
    click.echo(f"cleared {cleared} abandoned upload(s)")
    with transaction(services.engine) as conn:
        counters = prune_rate_limits(conn, now)
    click.echo(f"cleared {counters} rate-limit counter(s) older than a day")


@admin.command("recount")
@_location_options
def recount(**kw: _Loc) -> None:
    """Rebuild the catalog totals from the packages (only needed after editing rows by hand)."""
    services = _services(**kw)
    with transaction(services.engine) as conn:
        recount_catalog(conn)
    click.echo("catalog totals rebuilt")


@cli.group(name="license")
def license_group() -> None:
    """Issue and manage license keys (printed keys are shown once, stored hashed)."""


@license_group.command("issue")
@click.option("--package", "package", default=None, help="The paid package it opens.")
@click.option(
    "--type",
    "license_type",
    default=None,
    type=click.Choice(["trial", "pro", "enterprise", "per-skill"]),
    help="Default: the package's pricing.",
)
@click.option("--org", "org_name", default=None, help="Organisation name (enterprise).")
@click.option("--also", "also", multiple=True, help="More packages it opens (repeatable).")
@_location_options
def license_issue(
    package: str | None,
    license_type: str | None,
    org_name: str | None,
    also: tuple[str, ...],
    **kw: _Loc,
) -> None:
    """Issue a license; the key is the last line printed."""
    services = _services(**kw)

    def act() -> None:
        with transaction(services.engine) as conn:
            key, state = lic.issue_license(
                conn,
                services.license_keys,
                package=package,
                license_type=license_type,
                now=utcnow(),
                org_name=org_name,
                extra_packages=also,
            )
        expires = state["expires_at"] or "never"
        seats = state["max_activations"] or "unlimited"
        click.echo(
            f"{state['type']} license for {', '.join(state['packages']) or org_name}: "
            f"expires {expires}, {seats} activation(s)",
            err=True,
        )
        click.echo(key)

    _run(act)


def _license_action(name: str, doc: str) -> click.Command:
    @click.argument("key")
    @click.option(
        "--reason",
        default="support",
        show_default=True,
        type=click.Choice(list(lic.REVOKE_REASONS)),
        help="For revoke.",
    )
    @click.option(
        "--days", default=365, show_default=True, type=click.IntRange(1, 3650), help="For extend."
    )
    @_location_options
    def command(key: str, reason: str, days: int, **kw: _Loc) -> None:
        services = _services(**kw)

        def act() -> None:
            with transaction(services.engine) as conn:
                if name == "revoke":
                    lic.revoke(conn, services.license_keys, key, reason, utcnow())
                elif name == "extend":
                    lic.extend(conn, services.license_keys, key, days, utcnow())
                state = lic.license_state(conn, key, services.license_keys, utcnow(), reveal=True)
            click.echo(json.dumps(state, indent=2))

        _run(act)

    command.__doc__ = doc
    return click.command(name)(command)


license_group.add_command(_license_action("show", "Show a license's state."))
license_group.add_command(_license_action("revoke", "Revoke a license (effective at once)."))
license_group.add_command(_license_action("extend", "Push a license's expiry further."))


def main() -> None:
    """Console-script entry point."""
    cli.main(prog_name="argent-marketplace")
