"""Liveness and readiness."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text

from argent_marketplace import __version__
from argent_marketplace.errors import Error
from argent_marketplace.server.deps import ServicesDep

router = APIRouter(tags=["health"])


@router.get("/", include_in_schema=False)
async def index() -> dict[str, Any]:
    """What a person who opens the server's address needs: where the API and its docs are."""
    return {
        "name": "Argent Marketplace",
        "version": __version__,
        "api": "/api/v1",
        "docs": "/docs",
        "openapi": "/openapi.json",
    }


@router.get("/healthz")
def healthz() -> dict[str, Any]:
    """Liveness: the process answers."""
    return {"status": "ok", "version": __version__}


@router.get("/readyz", response_model=None)
def readyz(services: ServicesDep) -> dict[str, Any] | JSONResponse:
    """Readiness: the database and the blob store are reachable (503 otherwise)."""
    checks: dict[str, str] = {}
    try:
        with services.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means "not ready"
        checks["database"] = f"unavailable: {type(exc).__name__}"
    try:
        services.storage.ping()
        checks["storage"] = "ok"
    except Error as exc:
        hint = f" ({exc.hint})" if exc.hint else ""
        checks["storage"] = f"unavailable: {exc.message}{hint}"
    ready = all(v == "ok" for v in checks.values())
    body = {"status": "ok" if ready else "unavailable", **checks}
    return body if ready else JSONResponse(body, status_code=503)
