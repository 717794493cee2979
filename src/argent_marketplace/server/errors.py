"""The one place where errors become HTTP answers.

Every error body is ``{"error": {"code", "message", "details"}}`` (plus ``hint``
when there is one): short and human-readable, since existing ArgentOS clients
show the body to users. Unexpected exceptions become a 500 with no internals.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from argent_marketplace.errors import Error

__all__ = ["BodyTooLarge", "error_response", "install_error_handlers"]

log = logging.getLogger("argent_marketplace.server")

_HTTP_CODES = {
    400: "invalid-request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    413: "package-too-large",
    429: "rate-limited",
}


class BodyTooLarge(Error):
    """The request body is over the limit for its endpoint."""

    code = "package-too-large"
    http_status = 413


def error_response(
    status: int,
    code: str,
    message: str,
    details: dict[str, Any] | None = None,
    hint: str | None = None,
) -> JSONResponse:
    """The JSON error envelope."""
    body: dict[str, Any] = {"code": code, "message": message, "details": details or {}}
    if hint:
        body["hint"] = hint
    return JSONResponse({"error": body}, status_code=status)


async def _on_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Error)
    response = error_response(exc.http_status, exc.code, exc.message, exc.details, exc.hint)
    retry_after = getattr(exc, "retry_after", None)
    if isinstance(retry_after, int):
        response.headers["Retry-After"] = str(retry_after)
    return response


async def _on_validation(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = [{"field": _field(e.get("loc", ())), "message": e["msg"]} for e in exc.errors()]
    if (
        problems
        and problems[0]["field"] == "request body"
        and problems[0]["message"] == ("Field required")
    ):
        problems[0]["message"] = "missing: send a JSON object (Content-Type: application/json)"
    first = problems[0] if problems else {"field": "", "message": "invalid request"}
    return error_response(
        400, "invalid-request", f"{first['field']}: {first['message']}", {"problems": problems}
    )


def _field(loc: Sequence[Any]) -> str:
    """``("body", "key")`` -> ``key``; the body itself -> ``request body``."""
    path = ".".join(str(p) for p in loc if p != "body")
    return path or ("request body" if loc else "request")


async def _on_http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    if isinstance(exc.__cause__, Error):  # FastAPI wraps errors raised while reading the body
        return await _on_error(request, exc.__cause__)
    code = _HTTP_CODES.get(exc.status_code, "error")
    return error_response(exc.status_code, code, str(exc.detail))


async def _on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.error(
        "unexpected %s on %s %s", type(exc).__name__, request.method, request.url.path, exc_info=exc
    )
    return error_response(500, "internal-error", "the server failed; try again later")


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers on ``app``."""
    app.add_exception_handler(Error, _on_error)
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(HTTPException, _on_http)
    app.add_exception_handler(Exception, _on_unexpected)
