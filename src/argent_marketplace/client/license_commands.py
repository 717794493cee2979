"""``argent marketplace activate KEY`` and ``argent marketplace license status|deactivate``.

Activation writes ``$ARGENTOS_HOME/license.json`` (mode 0600) with the key, the
signed license token and the marketplace's token key, so the client can prove a
license offline for the grace period (default 72 h).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from argent_marketplace.client.api import MarketplaceApi
from argent_marketplace.client.config import load_config
from argent_marketplace.client.errors import BadServerUrl, ConfigError
from argent_marketplace.client.files import read_json_object, write_private_json
from argent_marketplace.client.machine import hardware_fingerprint, instance_id
from argent_marketplace.client.output import JSON_HELP, Outcome, run_command
from argent_marketplace.client.paths import argentos_home
from argent_marketplace.licensing.keys import normalize
from argent_marketplace.licensing.tokens import verify_token

__all__ = ["activate", "license_file", "license_group", "offline_license"]


def license_file() -> Path:
    """``$ARGENTOS_HOME/license.json``, where existing clients read ``key``."""
    return argentos_home() / "license.json"


def _read() -> dict[str, Any]:
    return read_json_object(license_file(), "activate again: argent marketplace activate KEY")


def _write(data: dict[str, Any]) -> Path:
    return write_private_json(license_file(), data)


def offline_license(now: datetime | None = None) -> dict[str, Any]:
    """The token's payload when this machine holds a valid offline license.

    Raises:
        ConfigError: ``no-license`` when nothing is activated here.
        LicenseRejected: The token is forged, expired, for another machine, or the
            clock was turned back.
    """
    data = _read()
    if not data.get("token") or not data.get("public_key"):
        raise ConfigError(
            "no activated license on this machine",
            code="no-license",
            hint="argent marketplace activate KEY",
        )
    return verify_token(
        str(data["token"]),
        str(data["public_key"]),
        fingerprint=hardware_fingerprint(),
        now=now or datetime.now(UTC),
    )


def _server(server: str | None) -> str:
    return load_config(server, None).server


def _license_server(data: dict[str, Any], server: str | None) -> str:
    """Where the saved license may be sent: the server it was activated on.

    Raises:
        ConfigError: ``--server`` names another server (the key is not sent there).
    """
    saved = data.get("server")
    if not isinstance(saved, str) or not saved:
        return _server(server)
    origin = _server(saved)
    if server is not None and _server(server) != origin:
        raise BadServerUrl(
            f"this machine's license was activated on {origin}, not {_server(server)}",
            code="other-server",
            hint="leave out --server, or activate the key on that server first",
        )
    return origin


@click.command()
@click.argument("key")
@click.option("--server", default=None, metavar="URL", help="Marketplace URL.")
@click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
def activate(key: str, server: str | None, as_json: bool) -> None:
    """Activate license KEY on this machine and keep its signed token for offline use."""

    def body() -> Outcome:
        canonical = normalize(key)  # a typo is caught here, before any request
        url = _server(server)
        with MarketplaceApi(url) as api:
            state = api.activate(canonical, instance_id(), hardware_fingerprint())
            public_key = api.license_public_key()
        path = _write(
            {
                "key": canonical,
                "token": state["token"],
                "public_key": public_key,
                "server": url,
                "activated_at": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
            }
        )
        seats = state["max_activations"] or "unlimited"
        shown = {k: v for k, v in state.items() if k != "token"}
        return Outcome(
            {**shown, "license_file": str(path)},
            f"Activated {state['type']} license for {', '.join(state['packages'])}: "
            f"{state['activations']}/{seats} machine(s), expires {state['expires_at'] or 'never'}."
            f"\nSaved to {path} (mode 0600).",
        )

    run_command("activate", as_json, body)


@click.group(name="license")
def license_group() -> None:
    """The license activated on this machine."""


@license_group.command()
@click.option("--offline", is_flag=True, help="Only check the saved token, without the server.")
@click.option("--server", default=None, metavar="URL", help="Marketplace URL.")
@click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
def status(offline: bool, server: str | None, as_json: bool) -> None:
    """Show the license's state (from the server, or from the offline token)."""

    def body() -> Outcome:
        payload = offline_license()
        if offline:
            return Outcome(
                {"offline": payload},
                f"Offline token valid: {payload['type']} for {', '.join(payload['pkgs'])}.",
            )
        data = _read()
        with MarketplaceApi(_license_server(data, server)) as api:
            state = api.license_status(str(data["key"]), hardware_fingerprint())
        return Outcome(
            state,
            f"{state['type']} license: {state['status']}, "
            f"{state['activations']} activation(s), expires "
            f"{state['expires_at'] or 'never'}.",
        )

    run_command("license status", as_json, body)


@license_group.command()
@click.option("--server", default=None, metavar="URL", help="Marketplace URL.")
@click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
def deactivate(server: str | None, as_json: bool) -> None:
    """Free this machine's activation slot and forget the saved token."""

    def body() -> Outcome:
        data = _read()
        if not data.get("key"):
            raise ConfigError(
                "no activated license on this machine",
                code="no-license",
                hint="nothing to deactivate",
            )
        with MarketplaceApi(_license_server(data, server)) as api:
            answer = api.deactivate(str(data["key"]), instance_id(), hardware_fingerprint())
        license_file().unlink(missing_ok=True)
        return Outcome(answer, "Deactivated this machine; the license slot is free.")

    run_command("license deactivate", as_json, body)
