"""The client's HTTP conversations with a marketplace server.

Transport failures and error envelopes are translated here, at the boundary,
into :mod:`client.errors`; nothing above this module sees httpx exceptions.
"""

from __future__ import annotations

import ssl
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

from argent_marketplace import __version__
from argent_marketplace.client.errors import ApiError, ServerUnreachable

__all__ = ["MarketplaceApi", "tls_context"]

_TIMEOUT = httpx.Timeout(30.0, connect=5.0)


@lru_cache(maxsize=1)
def tls_context() -> ssl.SSLContext:
    """One verifying TLS context per process: loading the CA bundle costs ~18 ms each time."""
    return ssl.create_default_context()


class MarketplaceApi:
    """A marketplace server at ``base_url``, optionally with a bearer token."""

    def __init__(self, base_url: str, token: str | None = None) -> None:
        headers = {"Accept": "application/json", "User-Agent": f"argent/{__version__}"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self.base_url = base_url
        self._client = httpx.Client(
            base_url=base_url, headers=headers, timeout=_TIMEOUT, verify=tls_context()
        )

    def close(self) -> None:
        """Release the connection pool."""
        self._client.close()

    def __enter__(self) -> MarketplaceApi:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _request(self, method: str, path: str, **kw: Any) -> Any:  # noqa: ANN401 - JSON
        try:
            response = self._client.request(method, path, **kw)
        except httpx.TransportError as exc:
            raise ServerUnreachable(
                f"cannot reach the marketplace at {self.base_url} ({type(exc).__name__})",
                hint="check --server / ARGENT_MARKETPLACE_URL, and that the server runs",
            ) from exc
        if response.status_code >= 400:
            raise _api_error(response)
        return response.json() if response.content else None

    def register(self, name: str, email: str, public_key: str) -> dict[str, Any]:
        """``POST /api/v1/authors``."""
        body = {"name": name, "email": email, "public_key": public_key}
        result: dict[str, Any] = self._request("POST", "/api/v1/authors", json=body)
        return result

    def me(self) -> dict[str, Any]:
        """``GET /api/v1/authors/me``."""
        result: dict[str, Any] = self._request("GET", "/api/v1/authors/me")
        return result

    def search(self, **params: str | int) -> dict[str, Any]:
        """``GET /api/v1/catalog``."""
        result: dict[str, Any] = self._request("GET", "/api/v1/catalog", params=params)
        return result

    def details(self, ref: str) -> dict[str, Any]:
        """``GET /api/v1/catalog/{ref}``."""
        result: dict[str, Any] = self._request("GET", f"/api/v1/catalog/{quote(ref, safe='')}")
        return result

    def keys(self, ref: str) -> dict[str, Any]:
        """``GET /api/v1/catalog/{ref}/keys``: the author's keys, for pinning."""
        result: dict[str, Any] = self._request("GET", f"/api/v1/catalog/{quote(ref, safe='')}/keys")
        return result

    def download_info(
        self, ref: str, version: str | None = None, license_key: str | None = None
    ) -> dict[str, Any]:
        """``GET /api/v1/catalog/{ref}/download?format=json``: URL, sha256, size, version."""
        params = {"format": "json", **({"version": version} if version else {})}
        headers = {"X-License-Key": license_key} if license_key else {}
        result: dict[str, Any] = self._request(
            "GET",
            f"/api/v1/catalog/{quote(ref, safe='')}/download",
            params=params,
            headers=headers,
        )
        return result

    def activate(self, key: str, instance_id: str, fingerprint: str) -> dict[str, Any]:
        """``POST /api/v1/activate``."""
        body = {"key": key, "instance_id": instance_id, "hardware_fingerprint": fingerprint}
        result: dict[str, Any] = self._request("POST", "/api/v1/activate", json=body)
        return result

    def deactivate(self, key: str, instance_id: str, fingerprint: str) -> dict[str, Any]:
        """``POST /api/v1/deactivate``."""
        body = {"key": key, "instance_id": instance_id, "hardware_fingerprint": fingerprint}
        result: dict[str, Any] = self._request("POST", "/api/v1/deactivate", json=body)
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
        data = {"manifest": manifest} if manifest is not None else None
        with archive.open("rb") as fh:
            files = {"package": (archive.name, fh, "application/gzip")}
            result: dict[str, Any] = self._request(
                "POST", "/api/v1/publish", files=files, data=data
            )
        return result


def _api_error(response: httpx.Response) -> ApiError:
    try:
        error = response.json().get("error", {})
    except ValueError:
        error = {}
    if not isinstance(error, dict):
        error = {}
    message = str(error.get("message") or f"the server answered HTTP {response.status_code}")
    details = error.get("details") if isinstance(error.get("details"), dict) else None
    return ApiError(
        message,
        status=response.status_code,
        code=str(error.get("code") or "server-error"),
        hint=error.get("hint") if isinstance(error.get("hint"), str) else None,
        details=details,
    )
