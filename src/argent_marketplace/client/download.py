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
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from argent_marketplace import __version__
from argent_marketplace.client.errors import DownloadFailed, InstallRefused

__all__ = ["fetch_archive"]

Progress = Callable[[int], None]


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
    started = time.monotonic()
    hint = "try again; if it keeps failing, the server or the network is faulty"
    all_headers = {"User-Agent": f"argent/{__version__}", **(headers or {})}
    try:
        with (
            httpx.stream(
                "GET",
                url,
                headers=all_headers,
                follow_redirects=True,
                timeout=httpx.Timeout(30.0, connect=5.0),
            ) as response,
            dest.open("xb") as out,
        ):
            if response.status_code != 200:
                raise DownloadFailed(
                    f"the download answered HTTP {response.status_code}",
                    code="download-http-error",
                    hint=hint,
                )
            for chunk in response.iter_raw(65536):
                received += len(chunk)
                if received > size:
                    raise DownloadFailed(
                        f"the server sent more than the announced {size} bytes",
                        code="download-too-large",
                        hint=hint,
                    )
                if time.monotonic() - started > deadline_seconds:
                    raise DownloadFailed(
                        f"the download took longer than {deadline_seconds:.0f} s",
                        code="download-timeout",
                        hint=hint,
                    )
                digest.update(chunk)
                out.write(chunk)
                if progress is not None:
                    progress(len(chunk))
            out.flush()
            os.fsync(out.fileno())
    except httpx.HTTPError as exc:
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
