"""``argent``: the command line for ArgentOS users and connector authors.

Every command lives under ``argent marketplace``, in a module of its own that is
imported only when that command runs: ``argent`` starts in tens of milliseconds
instead of importing HTTP clients, crypto and the scanner for every call.
"""

from __future__ import annotations

import gc
import importlib

import click

from argent_marketplace import __version__

__all__ = ["main"]

# command name -> "module:attribute"
_COMMANDS = {
    **{
        name: f"argent_marketplace.client.author_commands:{name}"
        for name in ("keygen", "pack", "sign", "verify", "inspect")
    },
    **{
        name: f"argent_marketplace.client.remote:{name}"
        for name in ("register", "login", "logout", "whoami", "publish")
    },
    **{
        name: f"argent_marketplace.client.catalog_commands:{name}"
        for name in ("search", "details", "install", "update", "uninstall")
    },
    "list": "argent_marketplace.client.catalog_commands:list_installed",
    "activate": "argent_marketplace.client.license_commands:activate",
    "license": "argent_marketplace.client.license_commands:license_group",
    "scan": "argent_marketplace.client.scan_command:scan",
}


class _LazyGroup(click.Group):
    """A group whose commands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(_COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = _COMMANDS.get(cmd_name)
        if target is None:
            return None
        module, attribute = target.split(":")
        command: click.Command = getattr(importlib.import_module(module), attribute)
        return command


@click.group(name="argent", context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="argent")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """ArgentOS command line."""
    ctx.meta["debug"] = debug


@cli.group(cls=_LazyGroup)
def marketplace() -> None:
    """Find, install and update connectors; make, sign, check and publish packages.

    \b
    Typical user flow:
      argent marketplace search air
      argent marketplace install aos-airtable
    Typical author flow:
      argent marketplace keygen
      argent marketplace pack ./aos-mytool --key ~/.argentos/keys/marketplace-ed25519.pem
      argent marketplace publish aos-mytool.argent-pkg
    """


def main() -> None:
    """Console-script entry point."""
    try:
        cli.main(prog_name="argent")
    finally:
        # The process ends here. Frozen objects are left out of the interpreter's last
        # garbage collections, which otherwise walk everything the imports made: ~10 ms
        # of an install. (The standard streams are flushed at exit all the same.)
        gc.freeze()
