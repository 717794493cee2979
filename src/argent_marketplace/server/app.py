"""The ASGI app factory: ``create_app(settings)`` builds one marketplace server.

FastAPI is used for its OpenAPI generation and request validation on top of
Starlette (see docs/adr/0003-fastapi-sqlalchemy-core.md); handlers are plain functions that call
the domain services, and one module (``server.errors``) renders every error.
"""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import AsyncIterator, Callable
from datetime import datetime

from fastapi import FastAPI

from argent_marketplace import __version__
from argent_marketplace.db.metadata import utcnow
from argent_marketplace.server.caching import NoStoreByDefault
from argent_marketplace.server.errors import install_error_handlers
from argent_marketplace.server.limits import BodySizeLimit
from argent_marketplace.server.logs import install_log_redaction
from argent_marketplace.server.routes import (
    accounts,
    admin,
    catalog,
    downloads,
    health,
    licensing,
    publish,
)
from argent_marketplace.server.services import Services, build_services
from argent_marketplace.server.settings import Settings

__all__ = ["create_app"]

# Multipart framing around the package: generous, the package itself is capped exactly.
_MULTIPART_OVERHEAD = 1024 * 1024


@contextlib.asynccontextmanager
async def _lifespan(services: Services, _app: FastAPI) -> AsyncIterator[None]:
    # Scan workers take a second to start (imports, the scanner's plugins): start them
    # now, beside serving, rather than in the first publish.
    start = getattr(services.scanner, "start", None)
    if start is not None:
        threading.Thread(target=start, name="scan-workers-start", daemon=True).start()
    yield


def create_app(settings: Settings, clock: Callable[[], datetime] = utcnow) -> FastAPI:
    """Build the app for ``settings``: data folder, database (migrated), blob store."""
    install_log_redaction()
    services = build_services(settings, clock)
    app = FastAPI(
        lifespan=functools.partial(_lifespan, services),
        title="Argent Marketplace",
        version=__version__,
        description="Publish, find and download signed ArgentOS connector packages.",
    )
    app.state.services = services
    install_error_handlers(app)
    for module in (health, accounts, publish, catalog, downloads, licensing, admin):
        app.include_router(module.router)
    limit = settings.limits.max_compressed_bytes + _MULTIPART_OVERHEAD
    app.add_middleware(BodySizeLimit, limits={"/api/v1/publish": limit})
    app.add_middleware(NoStoreByDefault)
    return app
