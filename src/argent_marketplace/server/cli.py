"""``argent-marketplace``: run and administer the marketplace server."""

from __future__ import annotations

from pathlib import Path

import click

from argent_marketplace import __version__
from argent_marketplace.server.settings import Settings, default_data_dir

__all__ = ["main"]


@click.group(name="argent-marketplace", context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="argent-marketplace")
def cli() -> None:
    """Argent Marketplace server and administration."""


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Embedded database and blobs (default: $ARGENT_MARKETPLACE_DATA_DIR or "
    "~/.local/share/argent-marketplace).",
)
def serve(host: str, port: int, data_dir: Path | None) -> None:
    """Serve the marketplace API on the embedded default."""
    # Imported here so that `argent-marketplace --help` and admin commands start fast.
    import uvicorn  # noqa: PLC0415

    from argent_marketplace.server.app import create_app  # noqa: PLC0415

    settings = Settings(data_dir=data_dir or default_data_dir())
    click.echo(f"Argent Marketplace {__version__}: data in {settings.data_dir}", err=True)
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")


def main() -> None:
    """Console-script entry point."""
    cli.main(prog_name="argent-marketplace")
