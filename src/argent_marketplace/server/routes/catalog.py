"""Catalog search and details, in the shapes existing ArgentOS clients parse.

The services already return plain JSON values (strings, numbers, lists, dicts), so
answers are rendered straight to JSON: FastAPI's generic encoder would walk every value
of a 20-item page again in Python, about 0.9 ms of a search's few milliseconds.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import Connection

from argent_marketplace.catalog import services as catalog
from argent_marketplace.licensing.services import licensed_package_ids
from argent_marketplace.server.deps import ServicesDep
from argent_marketplace.server.services import Services

router = APIRouter(prefix="/api/v1", tags=["catalog"])


class SearchParams(BaseModel):
    """Catalog query parameters; unknown ones are ignored, as old clients may send some."""

    q: str = Field("", max_length=200, description="free text; each word matches as a prefix")
    category: str | None = Field(None, max_length=32)
    tags: list[Annotated[str, Field(max_length=400)]] = Field(
        default_factory=list,
        max_length=20,
        description="comma-separated or repeated (tags=a&tags=b); all must match",
    )
    pricing: str | None = Field(None, max_length=16)
    sort: Literal["relevance", "downloads", "updated", "name"] | None = None
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=100_000)
    facets: bool = Field(False, description="also count matches per category and pricing")


class LicensedSearchParams(SearchParams):
    """The same, with the license key existing clients send."""

    key: str | None = Field(None, max_length=200)


def _search(
    services: ServicesDep, params: SearchParams, license_key: str | None = None
) -> dict[str, Any]:
    tags = [t.strip() for given in params.tags for t in given.split(",") if t.strip()]
    with services.engine.connect() as conn:
        unlisted = licensed_package_ids(conn, services.license_keys, license_key, services.clock())
        return catalog.search(
            conn,
            q=params.q,
            category=params.category,
            tags=tags,
            pricing=params.pricing,
            sort=params.sort,
            limit=params.limit,
            offset=params.offset,
            facets=params.facets,
            include_unlisted_ids=unlisted,
        )


# Public catalog answers may be kept by shared caches (a CDN in front of the servers
# absorbs a scraping burst): a minute of staleness after a publish is acceptable.
# Everything else defaults to ``no-store`` (server.caching).
PUBLIC_CACHE = "public, max-age=60"


def _public(content: dict[str, Any]) -> JSONResponse:
    return JSONResponse(content, headers={"Cache-Control": PUBLIC_CACHE})


@router.get("/catalog", response_model=None)
def search(services: ServicesDep, params: Annotated[SearchParams, Query()]) -> JSONResponse:
    """Search published packages: ``{"items": [CatalogItem], "total": n}``."""
    return _public(_search(services, params))


@router.get("/catalog/licensed", response_model=None)
def licensed_search(
    request: Request, services: ServicesDep, params: Annotated[LicensedSearchParams, Query()]
) -> JSONResponse:
    """The catalog plus the org-private packages the license (``key``) covers."""
    key = params.key or request.headers.get("x-license-key")
    return JSONResponse(_search(services, params, key))  # no-store: it depends on the key


def _opens(conn: Connection, services: Services, request: Request) -> Callable[[str], bool]:
    """Whether the request's ``X-License-Key`` opens an unlisted package (asked lazily)."""
    key = request.headers.get("x-license-key")

    def opens(package_id: str) -> bool:
        if not key:
            return False
        return package_id in licensed_package_ids(
            conn, services.license_keys, key, services.clock()
        )

    return opens


@router.get("/catalog/{ref}/keys", response_model=None)
def keys(ref: str, request: Request, services: ServicesDep) -> JSONResponse:
    """The author's signing keys with when they were added and revoked (for key pinning).

    Not cacheable (``no-store``): a revoked key must stop being trusted at once. An
    org-private package answers only to an ``X-License-Key`` that covers it.
    """
    with services.engine.connect() as conn:
        return JSONResponse(catalog.author_keys(conn, ref, _opens(conn, services, request)))


@router.get("/catalog/{ref}", response_model=None)
def details(ref: str, request: Request, services: ServicesDep) -> JSONResponse:
    """A package by UUID or name: CatalogItem + latest, versions, permissions, scan summary.

    An org-private package answers only to an ``X-License-Key`` that covers it, and
    that answer is not cacheable (``no-store``).
    """
    with services.engine.connect() as conn:
        answer = catalog.package_details(conn, ref, _opens(conn, services, request))
    return _public(answer) if answer["listed"] else JSONResponse(answer)
