"""Fetch an archive to a staging file, bounded in size and time, hashing as it arrives.

The announced size is a hard cap (an endless or padded answer is cut off at
once, SECURITY-CASES E4), a whole-download deadline catches a server that
trickles bytes just under the per-read timeout (E5), and the sha256 is computed
while writing, so a captive-portal page or a swapped blob is caught before
anything is unpacked.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import socket
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from argent_marketplace import __version__
from argent_marketplace.client.errors import DownloadFailed, InstallRefused
from argent_marketplace.client.transport import Stream, TransportError, stream

if TYPE_CHECKING:
    from hashlib import _Hash as Hash

__all__ = ["fetch_archive"]

Progress = Callable[[int], None]


class _Deadline:
    """Shuts the download's socket down when the whole-download deadline passes.

    A shut-down socket wakes a read that is waiting on a server that trickles or
    stalls; the redirects' connections are watched in turn.
    """

    def __init__(self, seconds: float) -> None:
        self.expired = threading.Event()
        self._sock: socket.socket | None = None
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sock = sock
            if self.expired.is_set():
                _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired.set()
            if self._sock is not None:
                _shut(self._sock)

    def cancel(self) -> None:
        self._timer.cancel()


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed
        socket.socket.shutdown(sock, socket.SHUT_RDWR)  # the plain socket's, under any TLS


def _copy(
    response: Stream,
    *,
    out: BinaryIO,
    digest: Hash,
    size: int,
    progress: Progress | None,
    hint: str,
) -> int:
    if response.status != 200:
        raise DownloadFailed(
            f"the download answered HTTP {response.status}",
            code="download-http-error",
            hint=hint,
        )
    received = 0
    for chunk in response.chunks():
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
    # No fsync: the archive is verified, extracted and deleted by this same process (a
    # crash only ever leaves a staging folder, which the next run removes), and an
    # fsync costs 1 to 40 ms on a busy disk.
    out.flush()
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
    # The deadline covers the whole download, redirects included: a watchdog shuts the
    # socket down when it passes, even while a read waits on a server that trickles.
    deadline = _Deadline(deadline_seconds)
    timed_out = DownloadFailed(
        f"the download took longer than {deadline_seconds:g} s",
        code="download-timeout",
        hint=hint,
    )
    try:
        with (
            stream(url, all_headers, on_socket=deadline.watch) as response,
            dest.open("xb") as out,
        ):
            received = _copy(
                response, out=out, digest=digest, size=size, progress=progress, hint=hint
            )
    except TransportError as exc:
        if deadline.expired.is_set():
            raise timed_out from exc
        raise DownloadFailed(
            f"the download failed: {exc}", code="download-interrupted", hint=hint
        ) from exc
    except OSError as exc:
        raise DownloadFailed(
            f"cannot write the download: {exc.strerror}",
            code="download-write-failed",
            hint="check free disk space and permissions",
        ) from exc
    finally:
        deadline.cancel()
    if received != size and deadline.expired.is_set():
        raise timed_out
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
