"""The ASGI app factory: ``create_app(settings)`` builds one marketplace server.

Only health endpoints exist so far; the publish pipeline, catalog and
downloads arrive with their issues and mount here.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from argent_marketplace import __version__
from argent_marketplace.server.settings import Settings

__all__ = ["create_app"]


def create_app(settings: Settings) -> FastAPI:
    """Build the app for ``settings``, creating the data folder on first start."""
    settings.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    app = FastAPI(title="Argent Marketplace", version=__version__)

    @app.get("/healthz")
    def healthz() -> dict[str, Any]:
        """Liveness: the process answers."""
        return {"status": "ok", "version": __version__}

    @app.get("/readyz")
    def readyz() -> dict[str, Any]:
        """Readiness: the data folder is usable."""
        writable = settings.data_dir.is_dir()
        return {"status": "ok" if writable else "unavailable", "data_dir": writable}

    return app
