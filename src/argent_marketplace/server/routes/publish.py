"""``POST /api/v1/publish``: the spec's Step 5.

Publishes run in threads of their own (at most ``PUBLISH_THREADS`` per process): a
burst of uploads waiting for the scanner must not take the shared threads that
searches, details and downloads run in (SECURITY-CASES H3). A publish waits at most
``scan_queue_seconds`` for one of them, then answers 503 ``scanner-busy``.
"""

from __future__ import annotations

import functools
import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import JSONResponse

from argent_marketplace.publish.errors import PackageTooLarge
from argent_marketplace.publish.pipeline import PublishResult, publish_package
from argent_marketplace.scan.errors import ScannerUnavailable
from argent_marketplace.server.deps import AuthorDep, ServicesDep
from argent_marketplace.server.services import Services

router = APIRouter(prefix="/api/v1", tags=["publish"])

PUBLISH_THREADS = 8


def _spool(upload: UploadFile, dest: Path, limit: int) -> None:
    with dest.open("wb") as out:
        copied = 0
        while chunk := upload.file.read(1 << 20):
            copied += len(chunk)
            if copied > limit:
                raise PackageTooLarge(
                    f"the package is over {limit} bytes",
                    hint="remove large files from the connector",
                )
            out.write(chunk)


def _limiters(request: Request) -> tuple[anyio.CapacityLimiter, anyio.CapacityLimiter]:
    """(publish slots, their threads), made inside the event loop, once per app."""
    state = request.app.state
    if getattr(state, "publish_limiters", None) is None:
        state.publish_limiters = (
            anyio.CapacityLimiter(PUBLISH_THREADS),
            anyio.CapacityLimiter(PUBLISH_THREADS),
        )
    limiters: tuple[anyio.CapacityLimiter, anyio.CapacityLimiter] = state.publish_limiters
    return limiters


def _publish(
    services: Services,
    upload: UploadFile,
    author_id: str,
    manifest: str | None,
    package_scope: str | None,
) -> PublishResult:
    workdir = Path(tempfile.mkdtemp(prefix="argent-publish-"))
    try:
        archive = workdir / "upload.argent-pkg"
        _spool(upload, archive, services.limits.max_compressed_bytes)
        return publish_package(
            services.publish_context(), author_id, archive, manifest, package_scope=package_scope
        )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


@router.post(
    "/publish",
    responses={
        200: {"description": "already published (same bytes)"},
        503: {"description": "the scanner is busy or failed: nothing stored, try again"},
    },
)
async def publish(
    request: Request,
    package: Annotated[UploadFile, File(description="the .argent-pkg file")],
    principal: AuthorDep,
    services: ServicesDep,
    manifest: Annotated[str | None, Form(description="argent.plugin.json, optional")] = None,
) -> JSONResponse:
    """Upload a new package or version; answers its status and the scanner's findings.

    201 when stored (published, pending_review or flagged), 200 when the very same
    bytes were published before. Refusals store nothing; 503 (with ``Retry-After``
    when every scanner is busy) means the package was not scanned and not stored.
    """
    assert principal.author_id is not None
    work = functools.partial(
        _publish, services, package, principal.author_id, manifest, principal.package
    )
    slots, threads = _limiters(request)
    wait = services.settings.scan_queue_seconds
    try:
        slots.acquire_nowait()
    except anyio.WouldBlock:
        try:
            if wait <= 0:
                raise TimeoutError from None
            with anyio.fail_after(wait):
                await slots.acquire()
        except TimeoutError:
            raise ScannerUnavailable(
                f"every publish slot of this server is busy (waited {wait:g} s)",
                code="scanner-busy",
                hint="publish again in a minute",
                retry_after=max(1, round(wait)),
            ) from None
    try:
        result = await anyio.to_thread.run_sync(work, limiter=threads)
    finally:
        slots.release()
    body: dict[str, Any] = result.to_dict()
    return JSONResponse(body, status_code=201 if result.created else 200)
