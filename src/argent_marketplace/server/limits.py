"""Reject oversized request bodies while they stream, before anything is buffered.

Slow or huge uploads are cut off as soon as the byte count passes the cap
(SECURITY-CASES C3), not after the whole body has been spooled to disk.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from argent_marketplace.server.errors import BodyTooLarge, error_response

__all__ = ["BodySizeLimit"]


class BodySizeLimit:
    """ASGI middleware capping request bodies on some paths."""

    def __init__(self, app: ASGIApp, *, limits: dict[str, int]) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Wrap ``receive`` with a counter for capped paths."""
        limit = self.limits.get(scope.get("path", "")) if scope["type"] == "http" else None
        if limit is None:
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            response = error_response(
                413,
                "package-too-large",
                f"the upload is over {limit} bytes",
                {"limit": limit},
                "packages are limited in size",
            )
            await response(scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge(
                        f"the upload is over {limit} bytes",
                        hint="packages are limited in size",
                        details={"limit": limit},
                    )
            return message

        await self.app(scope, counted, send)
