"""Signed download URLs and the blob endpoint that honours them."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, StreamingResponse
from sqlalchemy import select

from argent_marketplace.catalog.errors import PackageNotFound
from argent_marketplace.catalog.models import versions
from argent_marketplace.catalog.services import count_download, iso_time
from argent_marketplace.db.engine import transaction
from argent_marketplace.downloads import urls
from argent_marketplace.downloads.services import resolve_download
from argent_marketplace.server.deps import ServicesDep

router = APIRouter(prefix="/api/v1", tags=["downloads"])

_JSON_TYPE = "application/vnd.argent.download+json"


def _filename(name: str, version: str) -> str:
    return f"{name}-{version}.argent-pkg"


@router.get("/catalog/{ref}/download", response_model=None)
def download(
    ref: str,
    request: Request,
    services: ServicesDep,
    version: Annotated[str | None, Query(max_length=64)] = None,
    format: Annotated[str | None, Query(pattern="^json$")] = None,
) -> RedirectResponse | JSONResponse:
    """302 to a signed, expiring URL of the archive; counts one download.

    ``?format=json`` (or ``Accept: application/vnd.argent.download+json``) answers
    ``{"url", "sha256", "size", "version", "expires_at"}`` instead. Plain
    ``Accept: application/json`` still redirects: existing ArgentOS clients send it
    on every request and expect the archive bytes at the end of the redirects.
    """
    now = services.clock()
    with transaction(services.engine) as conn:
        row = resolve_download(
            conn,
            ref,
            version,
            license_key=request.headers.get("x-license-key"),
            license_keys=services.license_keys,
            now=now,
        )
        count_download(conn, row["package_id"], row["id"])
    expires = math.floor(now.timestamp()) + services.download_ttl_seconds
    filename = _filename(row["name"], row["version"])
    url = services.storage.presigned_url(row["blob_key"], services.download_ttl_seconds, filename)
    if url is None:
        sig = urls.sign(services.keys.downloads, row["id"], row["sha256"], expires)
        path = f"/api/v1/blobs/{row['id']}/{quote(filename)}?expires={expires}&sig={sig}"
        url = str(request.base_url).rstrip("/") + path
    wants_json = format == "json" or _JSON_TYPE in request.headers.get("accept", "")
    if wants_json:
        body: dict[str, Any] = {
            "url": url,
            "sha256": row["sha256"],
            "size": int(row["size"]),
            "version": row["version"],
            "name": row["name"],
            "key_fingerprint": row["key_fingerprint"],
            "published_at": iso_time(row["published_at"]),
            "yanked": bool(row["yanked"]),
            "expires_at": iso_time(datetime.fromtimestamp(expires, UTC)),
        }
        return JSONResponse(body)
    return RedirectResponse(url, status_code=302)


@router.get("/blobs/{version_id}/{filename}", response_model=None)
def blob(
    version_id: str,
    filename: str,
    services: ServicesDep,
    expires: Annotated[int, Query()],
    sig: Annotated[str, Query(max_length=64)],
) -> StreamingResponse:
    """Stream an archive for a valid signed URL; 403 when expired or altered."""
    with services.engine.connect() as conn:
        row = conn.execute(
            select(
                versions.c.sha256, versions.c.blob_key, versions.c.size, versions.c.status
            ).where(versions.c.id == version_id)
        ).first()
    sha = row.sha256 if row is not None else "0" * 64
    urls.check_signature(
        services.keys.downloads, version_id, sha, expires, sig, now=services.clock().timestamp()
    )
    if row is None or row.blob_key is None or row.status != "published":
        raise PackageNotFound("this package version is no longer available")
    chunks = services.storage.open_chunks(row.blob_key)
    headers = {
        "Content-Length": str(row.size),
        "ETag": f'"{row.sha256}"',
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "private, max-age=0, no-store",
    }
    return StreamingResponse(chunks, media_type="application/gzip", headers=headers)
