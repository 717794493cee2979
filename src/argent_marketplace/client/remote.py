"""``argent marketplace register|login|logout|whoami|publish``: talking to a server.

Server and token resolve as documented in :mod:`client.config`; ``register`` and
``login`` store them in ``$ARGENTOS_HOME/marketplace.json`` (mode 0600).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from argent_marketplace.client.api import MarketplaceApi
from argent_marketplace.client.config import (
    Config,
    config_path,
    load_config,
    save_config,
    saved_servers,
)
from argent_marketplace.client.errors import (
    ApiError,
    ConfigError,
    NotAPackage,
    PublishBlocked,
)
from argent_marketplace.client.output import JSON_HELP, Outcome, run_command
from argent_marketplace.client.paths import default_key_path
from argent_marketplace.package.errors import SigningKeyError
from argent_marketplace.package.signing import decode_public_key, load_private_key, public_key_b64
from argent_marketplace.package.verify import check_package

__all__ = ["login", "logout", "publish", "register", "whoami"]


def _server_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    fn = click.option(
        "--token",
        default=None,
        metavar="TOKEN",
        help="API token (env ARGENT_MARKETPLACE_TOKEN; default: the saved one).",
    )(fn)
    return click.option(
        "--server",
        default=None,
        metavar="URL",
        help="Marketplace URL (env ARGENT_MARKETPLACE_URL; default: the saved "
        "one, else http://127.0.0.1:8000).",
    )(fn)


def _require_token(config: Config) -> str:
    if config.token:
        return config.token
    others = [s for s in saved_servers() if s != config.server]
    hint = "run 'argent marketplace register' or 'argent marketplace login --token TOKEN'"
    if others:  # tokens are kept per server: say so, or "not logged in" looks like a bug
        hint = (
            f"the saved tokens are for {', '.join(others)}; for this server run "
            f"'argent marketplace login --server {config.server} --token TOKEN' or pass --token"
        )
    raise ConfigError(f"no API token for {config.server}", code="not-logged-in", hint=hint)


def _public_key(key_file: Path | None, public_key: str | None) -> str:
    if public_key:
        decode_public_key(public_key, field="--public-key")
        return public_key
    path = key_file or default_key_path()
    if not path.exists():
        raise SigningKeyError(
            f"no signing key at {path}",
            code="key-unreadable",
            hint="create one with 'argent marketplace keygen', or pass --key / --public-key",
        )
    return public_key_b64(load_private_key(path))


@click.command()
@click.option("--name", required=True, help="Author or team name shown in the catalog.")
@click.option("--email", required=True, help="Contact address (not shown publicly).")
@click.option(
    "--key",
    "key_file",
    type=click.Path(path_type=Path),
    default=None,
    help="Private key whose public half you sign with (default: keygen's).",
)
@click.option("--public-key", default=None, metavar="B64", help="Register this public key instead.")
@_server_options
@click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
def register(
    *,
    name: str,
    email: str,
    key_file: Path | None,
    public_key: str | None,
    server: str | None,
    token: str | None,
    as_json: bool,
) -> None:
    """Create an author account with your signing key and save its API token."""

    def body() -> Outcome:
        pub = _public_key(key_file, public_key)
        config = load_config(server, token)
        with MarketplaceApi(config.server) as api:
            answer = api.register(name, email, pub)
        path = save_config(config.server, answer["token"])
        return Outcome(
            {
                "id": answer["id"],
                "name": answer["name"],
                "server": config.server,
                "token": answer["token"],
                "config": str(path),
            },
            f"Registered {answer['name']} (author {answer['id']}) on {config.server}.\n"
            f"API token saved to {path} (mode 0600); the server will not show it again:\n"
            f"{answer['token']}",
        )

    run_command("register", as_json, body)


@click.command()
@_server_options
@click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
def login(server: str | None, token: str | None, as_json: bool) -> None:
    """Check an API token against the server and save it (prompts when --token is absent)."""

    def body() -> Outcome:
        given = token
        if not given and sys.stdin.isatty():
            given = click.prompt("API token", hide_input=True)
        config = load_config(server, given)
        with MarketplaceApi(config.server, _require_token(config)) as api:
            me = api.me()
        path = save_config(config.server, _require_token(config))
        return Outcome(
            {"id": me["id"], "name": me["name"], "server": config.server, "config": str(path)},
            f"Logged in to {config.server} as {me['name']}; token saved to {path}.",
        )

    run_command("login", as_json, body)


@click.command()
@click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
def logout(as_json: bool) -> None:
    """Forget every saved API token (the file with them is removed)."""

    def body() -> Outcome:
        path = config_path()
        removed = path.exists()
        if removed:
            try:
                path.unlink()
            except OSError as exc:
                raise ConfigError(f"cannot remove {path}: {exc.strerror}") from exc
        return Outcome(
            {"removed": removed, "config": str(path)},
            f"Removed {path}." if removed else "Not logged in.",
        )

    run_command("logout", as_json, body)


@click.command()
@_server_options
@click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
def whoami(server: str | None, token: str | None, as_json: bool) -> None:
    """Show the author the token belongs to, and their keys."""

    def body() -> Outcome:
        config = load_config(server, token)
        with MarketplaceApi(config.server, _require_token(config)) as api:
            me = api.me()
        keys = [f"  {k['fingerprint']}{' (revoked)' if k['revoked'] else ''}" for k in me["keys"]]
        verified = " (verified)" if me["verified"] else ""
        return Outcome(
            {**me, "server": config.server},
            "\n".join(
                [f"{me['name']}{verified} <{me['email']}> on {config.server}", "Keys:", *keys]
            ),
        )

    run_command("whoami", as_json, body)


def _findings_text(findings: list[dict[str, Any]]) -> list[str]:
    return [
        f"  [{f['severity']}] {f['rule']}: {f['file']}:{f['line']}: {f['message']}"
        for f in findings
    ]


BUSY_RETRIES = 2
BUSY_MAX_WAIT = 60  # seconds: a longer Retry-After is the user's call, not ours


def _publish_when_free(api: MarketplaceApi, package: Path) -> dict[str, Any]:
    """Publish, waiting as asked when every scanner of the server is busy.

    Safe to repeat: nothing was stored, and the same bytes published twice give the
    same answer.
    """
    for attempt in range(BUSY_RETRIES + 1):
        try:
            return api.publish(package)
        except ApiError as exc:
            wait = (exc.details or {}).get("retry_after")
            if (
                exc.code != "scanner-busy"
                or attempt == BUSY_RETRIES
                or not isinstance(wait, int)
                or not 0 < wait <= BUSY_MAX_WAIT
            ):
                raise
            click.echo(
                f"The marketplace is busy scanning other packages; publishing again in {wait} s.",
                err=True,
            )
            time.sleep(wait)
    raise AssertionError("unreachable")


@click.command()
@click.argument("package", type=click.Path(path_type=Path))
@_server_options
@click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
def publish(package: Path, server: str | None, token: str | None, as_json: bool) -> None:
    """Upload PACKAGE; prints its status (published, pending_review, flagged) and findings.

    The package is verified locally first, with the same checks the server runs,
    so a broken package never leaves your machine. When every scanner of the server is
    busy, it publishes again as the server asks (twice at most). Exit code 9 when the
    upload is flagged (blocked); pending_review exits 0: it is stored and waits for a
    moderator.
    """

    def body() -> Outcome:
        if package.is_dir():
            raise NotAPackage(
                f"{package} is a folder; publish takes a package file",
                hint=f"pack it first: argent marketplace pack {package} -o PACKAGE.argent-pkg",
            )
        report = check_package(package)
        if report.problems:
            raise report.problems[0]
        config = load_config(server, token)
        with MarketplaceApi(config.server, _require_token(config)) as api:
            answer = _publish_when_free(api, package)
        again = (
            " (these bytes were uploaded before: nothing new)"
            if not answer.get("created", True)
            else ""
        )
        lines = [
            f"{answer['name']} {answer['version']}: {answer['status']}{again}",
            f"  sha256 {answer['sha256']}",
        ]
        if answer["status"] == "pending_review":
            lines.append("  A moderator will review it; see 'argent marketplace whoami'.")
        if answer["findings"]:
            lines += ["Findings:", *_findings_text(answer["findings"])]
        if answer["status"] != "flagged":
            return Outcome(answer, "\n".join(lines))
        rules = {f.get("rule") for f in answer["findings"]}
        blocked = PublishBlocked(
            f"{answer['name']} {answer['version']} is flagged and will not be published",
            hint="choose another name: this one imitates another author's package"
            if rules == {"typosquatting"}
            else "fix the findings above and publish a new version",
        )
        return Outcome(answer, "\n".join(lines), blocked.exit_code, [blocked])

    run_command("publish", as_json, body)
