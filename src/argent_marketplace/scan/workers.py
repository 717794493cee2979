"""Scans in worker processes, so that a server's scans never hold its GIL.

A scan is 100 ms to 300 ms of pure Python per typical connector. Run in the serving
process, it holds that process's GIL, and every search, details page and download
of the process waits behind it (SECURITY-CASES H3: reads must not suffer from an
upload backlog). Here each scan goes to a worker process: the serving thread only
waits on a pipe, and the operating system shares the CPU, the workers with a lower
priority (``nice``) than the server.

A worker that crashes (a hostile input that breaks the interpreter, memory
exhausted) or overruns the hard time limit is killed and replaced; the publish
fails closed with a 503 and stores nothing (H2). When every worker is busy for
longer than the queue wait, the publish answers 503 ``scanner-busy`` with
``Retry-After``.

Wire format, one request at a time per worker: an 8-byte big-endian length, then a
pickle of ``(files, permissions, context)`` from the server (trusted direction); the
answer is a length and JSON (findings as dicts), so the server never unpickles what
a process that read hostile input wrote.

The worker itself runs ``python -m argent_marketplace.scan.workers FACTORY NICE MB``.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import importlib
import json
import logging
import os
import pickle
import queue
import resource
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping
from typing import IO, Any, BinaryIO, ClassVar, Protocol, cast

from argent_marketplace.scan.errors import ScannerUnavailable
from argent_marketplace.scan.findings import Finding
from argent_marketplace.scan.policy import POLICY_ENV
from argent_marketplace.scan.scanner import ScanContext

__all__ = ["DEFAULT_FACTORY", "ProcessScanner"]

log = logging.getLogger(__name__)

DEFAULT_FACTORY = "argent_marketplace.scan.scanner:PackageScanner.from_environment"
"""What a worker builds its scanner with: the server's policy and per-file cache."""

_LENGTH = struct.Struct(">Q")
_MAX_ANSWER = 64 * 1024 * 1024  # findings of one package, as JSON: far below this
_START_SECONDS = 60.0  # interpreter start, imports and the warm-up scan
# What an interpreter may need to start (a Python built against libraries outside the
# system's paths needs LD_LIBRARY_PATH): never secrets.
_ENV_KEPT = frozenset(
    {
        "PATH", "HOME", "LANG", "TMPDIR", "TZ", "SYSTEMROOT", "PYTHONHOME",
        "PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX", "LD_LIBRARY_PATH", "DYLD_LIBRARY_PATH",
    }
)  # fmt: skip


class _Scanner(Protocol):
    def scan(
        self, files: Mapping[str, bytes], permissions: tuple[str, ...], context: ScanContext
    ) -> list[Finding]: ...


class _Died(Exception):
    """The worker's pipe closed: it exited or was killed."""


class _Worker:
    """One worker process and its pipes; used by one thread at a time."""

    def __init__(self, factory: str, nice: int, memory_mb: int, policy_file: str | None) -> None:
        self.args = [factory, str(nice), str(memory_mb)]
        self.policy_file = policy_file
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc is not None and self.proc.poll() is None else None

    def ensure_started(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            return
        self.stop()
        # Only what an interpreter needs: the worker reads hostile input, and the server's
        # environment holds its secret, database URL and object-store credentials.
        env = {k: v for k, v in os.environ.items() if k in _ENV_KEPT or k.startswith("LC_")}
        # The worker imports what this process imports, from the same places.
        env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
        if self.policy_file:
            env[POLICY_ENV] = self.policy_file
        unusable = ScannerUnavailable(
            "the scanner could not start; nothing was published",
            code="scanner-failed",
            hint="publish again in a minute",
        )
        try:
            self.proc = subprocess.Popen(  # noqa: S603 - this interpreter, our module, fixed args
                [sys.executable, "-m", "argent_marketplace.scan.workers", *self.args],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                bufsize=0,
                env=env,
                close_fds=True,
            )
            ready = self._read(time.monotonic() + _START_SECONDS)
        except Exception as exc:  # whatever it was, this worker is unusable
            self.stop()
            log.error("scan worker did not start: %s: %s", type(exc).__name__, exc)
            raise unusable from exc
        if "error" in ready:
            self.stop()
            log.error("scan worker failed to start: %s", ready["error"])
            raise unusable

    def request(self, payload: bytes, timeout: float) -> dict[str, Any]:
        assert self.proc is not None and self.proc.stdin is not None
        try:
            self.proc.stdin.write(_LENGTH.pack(len(payload)))
            _write_all(self.proc.stdin, payload)
        except OSError as exc:  # BrokenPipeError: it died since the last request
            raise _Died from exc
        return self._read(time.monotonic() + timeout)

    def _read(self, deadline: float) -> dict[str, Any]:
        assert self.proc is not None and self.proc.stdout is not None
        head = _read_exactly(self.proc.stdout, _LENGTH.size, deadline)
        (size,) = _LENGTH.unpack(head)
        if size > _MAX_ANSWER:
            raise _Died(f"answer of {size} bytes")
        answer = json.loads(_read_exactly(self.proc.stdout, size, deadline))
        if not isinstance(answer, dict):
            raise _Died("answer is not an object")
        return answer

    def exit_status(self) -> str:
        if self.proc is None:
            return "not started"
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=2)
        code = self.proc.returncode
        if code is None:
            return "still running"
        return f"killed by signal {-code}" if code < 0 else f"exit status {code}"

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None:
            return
        with contextlib.suppress(OSError):
            proc.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=5)
        for pipe in (proc.stdin, proc.stdout):
            if pipe is not None:
                with contextlib.suppress(OSError):
                    pipe.close()


def _write_all(pipe: IO[bytes], data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = pipe.write(view)
        view = view[written or 0 :]


def _read_exactly(pipe: IO[bytes], size: int, deadline: float) -> bytes:
    fd = pipe.fileno()
    poller = select.poll()  # not select.select: a busy server has descriptors past 1024
    poller.register(fd, select.POLLIN)
    parts: list[bytes] = []
    left = size
    while left:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not poller.poll(remaining * 1000):
            raise TimeoutError
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            raise _Died("end of output")
        parts.append(chunk)
        left -= len(chunk)
    return b"".join(parts)


class ProcessScanner:
    """The :class:`~argent_marketplace.publish.scan.Scanner` of a server: scans in workers.

    Args:
        workers: Worker processes (each scans one package at a time).
        timeout: Hard limit of one scan in seconds; past it the worker is killed.
            The policy's own time budget (a finding) should come well before.
        queue_wait: How long a scan may wait for a free worker before ``scanner-busy``.
        nice: Priority the workers lower themselves by, so that reads come first.
        memory_mb: Address-space limit of a worker.
        factory: ``module:callable`` that builds the worker's scanner.
        policy_file: The scan policy file the default factory reads (``None``: default).
    """

    def __init__(
        self,
        workers: int = 1,
        *,
        timeout: float = 60.0,
        queue_wait: float = 10.0,
        nice: int = 10,
        memory_mb: int = 4096,
        factory: str = DEFAULT_FACTORY,
        policy_file: str | None = None,
    ) -> None:
        if workers < 1:
            raise ValueError("a ProcessScanner needs at least one worker")
        self.timeout = timeout
        self.queue_wait = queue_wait
        self._make = functools.partial(_Worker, factory, nice, memory_mb, policy_file)
        self._closed = False
        self._reset(workers)

    def _reset(self, workers: int) -> None:
        self._pid = os.getpid()
        self._all = [self._make() for _ in range(workers)]
        self._idle: queue.LifoQueue[_Worker] = queue.LifoQueue()
        for worker in self._all:
            self._idle.put(worker)

    def _own_process(self) -> None:
        """In a forked child, the parent's workers and pipes are not ours: start afresh."""
        if os.getpid() != self._pid:
            for worker in self._all:
                # The parent's process: neither ours to use nor to kill; our copies of
                # its pipes are closed (the parent keeps its own).
                proc, worker.proc = worker.proc, None
                for pipe in (proc.stdin, proc.stdout) if proc is not None else ():
                    if pipe is not None:
                        with contextlib.suppress(OSError):
                            pipe.close()
            self._reset(len(self._all))

    def pids(self) -> list[int]:
        """Process ids of the running workers (for tests and operators)."""
        self._own_process()
        return [pid for w in self._all if (pid := w.pid) is not None]

    def start(self) -> None:
        """Start every idle worker now instead of at the first scan (a warm-up)."""
        self._own_process()
        for _ in range(len(self._all)):
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                return
            try:
                worker.ensure_started()
            except ScannerUnavailable:
                log.exception("scan worker did not start")
            finally:
                self._idle.put(worker)

    def close(self) -> None:
        """Stop the workers: idle ones now, a busy one when its scan returns."""
        self._own_process()
        self._closed = True
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                return
            worker.stop()

    def scan(
        self,
        files: Mapping[str, bytes],
        permissions: tuple[str, ...],
        context: ScanContext | None = None,
    ) -> list[Finding]:
        """Findings for ``files``, computed by a worker.

        Raises:
            ScannerUnavailable: No worker was free in time (``scanner-busy``), the
                scan overran the hard limit (``scan-timeout``), or the worker died or
                failed (``scanner-failed``). Nothing may be published then.
        """
        self._own_process()
        context = context or ScanContext()
        payload = pickle.dumps(
            (
                dict(files),
                tuple(permissions),
                (
                    context.name,
                    tuple(context.existing_names),
                    tuple(context.unscanned),
                    dict(context.sizes),
                    dict(context.known),
                    context.learned is not None,
                    context.fingerprint,
                ),
            ),
            protocol=pickle.HIGHEST_PROTOCOL,
        )
        try:
            worker = self._idle.get(timeout=self.queue_wait)
        except queue.Empty:
            raise ScannerUnavailable(
                f"every scanner is busy (waited {self.queue_wait:g} s)",
                code="scanner-busy",
                hint="publish again in a minute",
                retry_after=max(1, round(self.queue_wait / 2)),
            ) from None
        try:
            findings, learned = self._run(worker, payload)
        finally:
            self._idle.put(worker)
            if self._closed:  # closed meanwhile: stop it now that it is idle
                self.close()
        if context.learned is not None:
            context.learned.update(learned)
        return findings

    def _run(self, worker: _Worker, payload: bytes) -> tuple[list[Finding], dict[str, str]]:
        worker.ensure_started()
        failed = "the scanner failed on this package; nothing was published"
        try:
            answer = worker.request(payload, self.timeout)
            if "error" in answer:
                log.error("scan failed in a worker: %s", answer["error"])
                raise ScannerUnavailable(
                    failed,
                    code="scanner-failed",
                    hint="publish again; if it fails again, contact the moderators",
                )
            return _findings(answer), _learned(answer)
        except ScannerUnavailable:
            raise
        except TimeoutError:
            worker.stop()
            log.error("scan overran its hard limit of %g s: worker killed", self.timeout)
            raise ScannerUnavailable(
                f"the scan did not finish within {self.timeout:g} s; nothing was published",
                code="scan-timeout",
                hint="if it happens again, make the package smaller or contact the moderators",
            ) from None
        except Exception as exc:  # noqa: BLE001 - died, or said something unreadable
            status = worker.exit_status() if isinstance(exc, _Died) else repr(exc)
            worker.stop()
            log.error("scan worker failed during a scan (%s): replaced", status)
            raise ScannerUnavailable(
                failed,
                code="scanner-failed",
                hint="publish again; if it fails again, contact the moderators",
            ) from None

    # One pool per configuration and process: every app of a process (tests build many)
    # shares its workers, and the scan cache with them.
    _shared: ClassVar[dict[tuple[object, ...], ProcessScanner]] = {}
    _shared_lock: ClassVar[threading.Lock] = threading.Lock()

    @classmethod
    def shared(
        cls, workers: int, *, timeout: float, queue_wait: float, policy_file: str | None
    ) -> ProcessScanner:
        """The process's pool for this configuration, created on first use."""
        key = (workers, timeout, queue_wait, policy_file)
        with cls._shared_lock:
            pool = cls._shared.get(key)
            if pool is None:
                pool = cls._shared[key] = cls(
                    workers, timeout=timeout, queue_wait=queue_wait, policy_file=policy_file
                )
            return pool


@atexit.register
def _close_shared() -> None:
    with ProcessScanner._shared_lock:
        pools = list(ProcessScanner._shared.values())
    for pool in pools:
        pool.close()


def _findings(answer: dict[str, Any]) -> list[Finding]:
    return [Finding(**f) for f in answer["findings"]]


def _learned(answer: dict[str, Any]) -> dict[str, str]:
    learned = answer.get("learned") or {}
    return {str(k): str(v) for k, v in learned.items()}


# --- the worker side ----------------------------------------------------------------------


def _load_factory(spec: str) -> Callable[[], _Scanner]:
    module_name, _, attr = spec.partition(":")
    target: Any = importlib.import_module(module_name)
    for part in attr.split("."):
        target = getattr(target, part)
    return cast("Callable[[], _Scanner]", target)


def _send(out: BinaryIO, answer: dict[str, Any]) -> None:
    data = json.dumps(answer).encode()
    out.write(_LENGTH.pack(len(data)) + data)
    out.flush()


def _read_request(inp: BinaryIO) -> bytes | None:
    head = inp.read(_LENGTH.size)
    if len(head) < _LENGTH.size:
        return None  # the server closed the pipe: it stopped, or replaced this worker
    (size,) = _LENGTH.unpack(head)
    data = inp.read(size)
    return data if len(data) == size else None


def _exit_with_parent(parent: int) -> None:
    """A server killed mid-scan cannot close our pipe in time: stop when it is gone."""
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(0)


def _serve(factory: str, nice: int, memory_mb: int) -> int:
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # a stray print() must not break the answers' framing
    inp = sys.stdin.buffer
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, which stops us
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
    with contextlib.suppress(OSError):
        os.nice(nice)
    with contextlib.suppress(ValueError, OSError):
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        scanner = _load_factory(factory)()
        scanner.scan({"warm.py": b"import os\n"}, (), ScanContext())  # loads the plugins
    except Exception as exc:  # noqa: BLE001 - reported to the server, which logs it
        _send(out, {"error": f"{type(exc).__name__}: {exc}"})
        return 1
    _send(out, {"ready": True})
    while (data := _read_request(inp)) is not None:
        try:
            files, permissions, (name, existing, unscanned, sizes, known, learn, fingerprint) = (
                pickle.loads(data)  # noqa: S301 - from the server
            )
            learned: dict[str, str] | None = {} if learn else None
            context = ScanContext(name, existing, unscanned, sizes, known, learned, fingerprint)
            found = scanner.scan(files, permissions, context)
            answer: dict[str, Any] = {"findings": [f.to_dict() for f in found]}
            if learned:
                answer["learned"] = learned
        except Exception as exc:  # noqa: BLE001 - fail closed: the server refuses the publish
            answer = {"error": f"{type(exc).__name__}: {exc}"}
        _send(out, answer)
    return 0


if __name__ == "__main__":
    sys.exit(_serve(sys.argv[1], int(sys.argv[2]), int(sys.argv[3])))
