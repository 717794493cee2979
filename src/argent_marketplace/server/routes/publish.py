"""``POST /api/v1/publish``: the spec's Step 5."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import JSONResponse

from argent_marketplace.publish.errors import PackageTooLarge
from argent_marketplace.publish.pipeline import publish_package
from argent_marketplace.server.deps import AuthorDep, ServicesDep

router = APIRouter(prefix="/api/v1", tags=["publish"])


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


@router.post("/publish", responses={200: {"description": "already published (same bytes)"}})
def publish(
    package: Annotated[UploadFile, File(description="the .argent-pkg file")],
    principal: AuthorDep,
    services: ServicesDep,
    manifest: Annotated[str | None, Form(description="argent.plugin.json, optional")] = None,
) -> JSONResponse:
    """Upload a new package or version; answers its status and the scanner's findings.

    201 when stored (published, pending_review or flagged), 200 when the very same
    bytes were published before. Refusals store nothing.
    """
    assert principal.author_id is not None
    workdir = Path(tempfile.mkdtemp(prefix="argent-publish-"))
    try:
        archive = workdir / "upload.argent-pkg"
        _spool(package, archive, services.limits.max_compressed_bytes)
        result = publish_package(
            services.publish_context(),
            principal.author_id,
            archive,
            manifest,
            package_scope=principal.package,
        )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    body: dict[str, Any] = result.to_dict()
    return JSONResponse(body, status_code=201 if result.created else 200)
