"""``Cache-Control: no-store`` on every answer that does not say otherwise.

Answers about accounts, tokens, licenses and uploads must never be kept by a shared
cache (a CDN or a company proxy) and shown to someone else. Routes whose answers are
public (the catalog) set their own header; this middleware fills in the rest.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["NoStoreByDefault"]

_HEADER = b"cache-control"
_NO_STORE = (_HEADER, b"no-store")


class NoStoreByDefault:
    """ASGI middleware: adds ``Cache-Control: no-store`` when a response has none."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass through, amending the response's headers on the way out."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_default(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if not any(name.lower() == _HEADER for name, _ in headers):
                    headers.append(_NO_STORE)
                    message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_default)
