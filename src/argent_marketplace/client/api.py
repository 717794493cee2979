"""The client's HTTP conversations with a marketplace server.

Transport failures and error envelopes are translated here, at the boundary,
into :mod:`client.errors`; nothing above this module sees a transport exception.
Requests go through :mod:`client.transport` (the standard library's
``http.client``): importing httpx cost every command ~100 ms.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

from argent_marketplace import __version__
from argent_marketplace.client.errors import ApiError, ServerUnreachable
from argent_marketplace.client.transport import (
    AnswerTooLarge,
    Response,
    Session,
    TransportError,
    multipart,
)

__all__ = ["MarketplaceApi"]


class MarketplaceApi:
    """A marketplace server at ``base_url``, optionally with a bearer token.

    Nothing is sent before the first call; the calls share one kept-alive
    connection. Redirects are not followed (a JSON call that is redirected fails
    with ``redirected``).
    """

    def __init__(self, base_url: str, token: str | None = None) -> None:
        headers = {"Accept": "application/json", "User-Agent": f"argent/{__version__}"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self.base_url = base_url
        self._session = Session(base_url, headers)

    def close(self) -> None:
        """Close the connection."""
        self._session.close()

    def __enter__(self) -> MarketplaceApi:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str | int] | None = None,
        headers: dict[str, str] | None = None,
        json_body: object = None,
    ) -> Any:  # noqa: ANN401 - JSON
        body = None
        if json_body is not None:
            body = json.dumps(json_body, ensure_ascii=False, separators=(",", ":")).encode()
            headers = {**(headers or {}), "Content-Type": "application/json"}
        return self._send(method, path, params=params, headers=headers, body=body)

    def _send(self, method: str, path: str, **kw: Any) -> Any:  # noqa: ANN401 - JSON
        try:
            response = self._session.request(method, path, **kw)
        except AnswerTooLarge as exc:
            raise ApiError(
                f"the server at {self.base_url} sent {exc}; no marketplace answer is that large",
                status=0,
                code="answer-too-large",
                hint="check --server / ARGENT_MARKETPLACE_URL: is it a marketplace?",
            ) from exc
        except TransportError as exc:
            raise ServerUnreachable(
                f"cannot reach the marketplace at {self.base_url} ({exc})",
                hint="check --server / ARGENT_MARKETPLACE_URL, and that the server runs",
            ) from exc
        if response.status >= 300:
            raise _api_error(response)
        if not response.body:
            return None
        try:
            return json.loads(response.body)
        except ValueError:
            raise ApiError(
                f"the server at {self.base_url} did not answer JSON",
                status=response.status,
                code="invalid-response",
                hint="check --server / ARGENT_MARKETPLACE_URL: is it a marketplace?",
            ) from None

    def register(self, name: str, email: str, public_key: str) -> dict[str, Any]:
        """``POST /api/v1/authors``."""
        body = {"name": name, "email": email, "public_key": public_key}
        result: dict[str, Any] = self._request("POST", "/api/v1/authors", json_body=body)
        return result

    def me(self) -> dict[str, Any]:
        """``GET /api/v1/authors/me``."""
        result: dict[str, Any] = self._request("GET", "/api/v1/authors/me")
        return result

    def search(self, license_key: str | None = None, **params: str | int) -> dict[str, Any]:
        """``GET /api/v1/catalog``, or ``/catalog/licensed`` with a license key.

        The licensed catalog adds the org-private packages the license covers; the key
        travels in ``X-License-Key``, not in the URL (URLs end up in logs).
        """
        path = "/api/v1/catalog/licensed" if license_key else "/api/v1/catalog"
        result: dict[str, Any] = self._request(
            "GET", path, params=params, headers=_license_header(license_key)
        )
        return result

    def details(
        self, ref: str, license_key: str | None = None, *, fresh: bool = False
    ) -> dict[str, Any]:
        """``GET /api/v1/catalog/{ref}`` (an org-private package needs a license key).

        ``fresh`` asks caches between us and the server (the answer is public for a
        minute) for the server's current answer, when a decision rests on it.
        """
        headers = _license_header(license_key)
        if fresh:
            headers["Cache-Control"] = "no-cache"
        result: dict[str, Any] = self._request(
            "GET", f"/api/v1/catalog/{quote(ref, safe='')}", headers=headers
        )
        return result

    def keys(self, ref: str, license_key: str | None = None) -> dict[str, Any]:
        """``GET /api/v1/catalog/{ref}/keys``: the author's keys, for pinning."""
        result: dict[str, Any] = self._request(
            "GET",
            f"/api/v1/catalog/{quote(ref, safe='')}/keys",
            headers=_license_header(license_key),
        )
        return result

    def download_info(
        self, ref: str, version: str | None = None, license_key: str | None = None
    ) -> dict[str, Any]:
        """``GET /api/v1/catalog/{ref}/download?format=json``: URL, sha256, size, version."""
        params = {"format": "json", **({"version": version} if version else {})}
        result: dict[str, Any] = self._request(
            "GET",
            f"/api/v1/catalog/{quote(ref, safe='')}/download",
            params=params,
            headers=_license_header(license_key),
        )
        return result

    def activate(self, key: str, instance_id: str, fingerprint: str) -> dict[str, Any]:
        """``POST /api/v1/activate``."""
        body = {"key": key, "instance_id": instance_id, "hardware_fingerprint": fingerprint}
        result: dict[str, Any] = self._request("POST", "/api/v1/activate", json_body=body)
        return result

    def deactivate(self, key: str, instance_id: str, fingerprint: str) -> dict[str, Any]:
        """``POST /api/v1/deactivate``."""
        body = {"key": key, "instance_id": instance_id, "hardware_fingerprint": fingerprint}
        result: dict[str, Any] = self._request("POST", "/api/v1/deactivate", json_body=body)
        return result

    def license_status(self, key: str, fingerprint: str) -> dict[str, Any]:
        """``GET /api/v1/license/{key}`` (the fingerprint proves this machine holds it)."""
        result: dict[str, Any] = self._request(
            "GET",
            f"/api/v1/license/{quote(key, safe='')}",
            headers={"X-Hardware-Fingerprint": fingerprint},
        )
        return result

    def license_public_key(self) -> str:
        """The marketplace key that signs license tokens."""
        return str(self._request("GET", "/api/v1/license/public-key")["public_key"])

    def publish(self, archive: Path, manifest: str | None = None) -> dict[str, Any]:
        """``POST /api/v1/publish`` with the archive as multipart ``package``."""
        fields = {"manifest": manifest} if manifest is not None else {}
        with archive.open("rb") as fh:
            headers, body = multipart(fields, "package", archive.name, fh, "application/gzip")
            result: dict[str, Any] = self._send(
                "POST",
                "/api/v1/publish",
                headers=headers,
                body=body,
                read_timeout=PUBLISH_READ_TIMEOUT,
            )
        return result


# The server may wait for a free scanner (10 s by default, twice: a publish slot, then a
# worker) and scan for up to its hard limit (60 s) before it answers. A server whose
# operators raised those limits past about 4 minutes needs clients with a longer wait.
PUBLISH_READ_TIMEOUT = 300.0


def _api_error(response: Response) -> ApiError:
    if response.status < 400:  # a redirect: the API's calls do not follow them
        location = response.headers.get("Location") or "nowhere"
        return ApiError(
            f"the server answered HTTP {response.status} (a redirect to {location})",
            status=response.status,
            code="redirected",
            hint="use the address it redirects to as --server / ARGENT_MARKETPLACE_URL",
        )
    try:
        error = json.loads(response.body).get("error", {})
    except (ValueError, AttributeError):
        error = {}
    if not isinstance(error, dict):
        error = {}
    message = str(error.get("message") or f"the server answered HTTP {response.status}")
    details = error.get("details") if isinstance(error.get("details"), dict) else None
    hint = error.get("hint") if isinstance(error.get("hint"), str) else None
    if not error and response.status in (404, 405):
        # Not our error envelope: another program answers at that address.
        hint = "check --server / ARGENT_MARKETPLACE_URL: is it a marketplace?"
    return ApiError(
        message,
        status=response.status,
        code=str(error.get("code") or "server-error"),
        hint=hint,
        details=details,
    )


def _license_header(key: str | None) -> dict[str, str]:
    return {"X-License-Key": key} if key else {}
