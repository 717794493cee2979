"""Fetch an archive to a staging file, bounded in size and time, hashing as it arrives.

The announced size is a hard cap (an endless or padded answer is cut off at
once, SECURITY-CASES E4), a whole-download deadline catches a server that
trickles bytes just under the per-read timeout (E5), and the sha256 is computed
while writing, so a captive-portal page or a swapped blob is caught before
anything is unpacked.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import httpx

from argent_marketplace import __version__
from argent_marketplace.client.api import tls_context
from argent_marketplace.client.errors import DownloadFailed, InstallRefused

if TYPE_CHECKING:
    from hashlib import _Hash as Hash

__all__ = ["fetch_archive"]

Progress = Callable[[int], None]


def _expire(response: httpx.Response, expired: threading.Event) -> None:
    expired.set()
    response.close()


def _copy(
    response: httpx.Response,
    *,
    out: BinaryIO,
    digest: Hash,
    size: int,
    progress: Progress | None,
    hint: str,
) -> int:
    if response.status_code != 200:
        raise DownloadFailed(
            f"the download answered HTTP {response.status_code}",
            code="download-http-error",
            hint=hint,
        )
    received = 0
    for chunk in response.iter_raw():
        received += len(chunk)
        if received > size:
            raise DownloadFailed(
                f"the server sent more than the announced {size} bytes",
                code="download-too-large",
                hint=hint,
            )
        digest.update(chunk)
        out.write(chunk)
        if progress is not None:
            progress(len(chunk))
    out.flush()
    os.fsync(out.fileno())
    return received


def fetch_archive(
    url: str,
    dest: Path,
    *,
    size: int,
    sha256: str,
    deadline_seconds: float = 300.0,
    progress: Progress | None = None,
    headers: dict[str, str] | None = None,
) -> None:
    """Download ``url`` into ``dest`` (a new file); it must be ``size`` bytes with ``sha256``.

    Raises:
        DownloadFailed: Transport error, HTTP error, too many bytes, too few, or too slow.
        InstallRefused: ``sha256-mismatch``.
    """
    digest = hashlib.sha256()
    received = 0
    hint = "try again; if it keeps failing, the server or the network is faulty"
    all_headers = {"User-Agent": f"argent/{__version__}", **(headers or {})}
    expired = threading.Event()
    try:
        with (
            httpx.stream(
                "GET",
                url,
                headers=all_headers,
                follow_redirects=True,
                timeout=httpx.Timeout(30.0, connect=5.0),
                verify=tls_context(),
            ) as response,
            dest.open("xb") as out,
        ):
            # The deadline covers the whole download: a watchdog closes the response when
            # it passes, even while a read is waiting on a server that trickles or stalls.
            watchdog = threading.Timer(deadline_seconds, _expire, (response, expired))
            watchdog.daemon = True
            watchdog.start()
            try:
                received = _copy(
                    response, out=out, digest=digest, size=size, progress=progress, hint=hint
                )
            finally:
                watchdog.cancel()
    except (httpx.HTTPError, httpx.StreamError) as exc:
        if expired.is_set():
            raise DownloadFailed(
                f"the download took longer than {deadline_seconds:g} s",
                code="download-timeout",
                hint=hint,
            ) from exc
        raise DownloadFailed(
            f"the download failed ({type(exc).__name__})", code="download-interrupted", hint=hint
        ) from exc
    except OSError as exc:
        raise DownloadFailed(
            f"cannot write the download: {exc.strerror}",
            code="download-write-failed",
            hint="check free disk space and permissions",
        ) from exc
    if received != size:
        raise DownloadFailed(
            f"the download ended after {received} of {size} bytes",
            code="download-truncated",
            hint=hint,
        )
    if not hmac.compare_digest(digest.hexdigest(), sha256):
        raise InstallRefused(
            "the downloaded archive does not match the sha256 the marketplace announced",
            code="sha256-mismatch",
            hint="the stored package or the connection was tampered with; nothing was installed",
        )
