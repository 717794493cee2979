"""Publishes per second of typical connectors through the HTTP API, on SQLite and PostgreSQL.

The script builds, before any timing, N distinct signed packages shaped like the
"typical-150K" connector of ``bench_verify.py`` (~120 Python modules and tests, 3
recorded HTTP sessions, a README; ~150 KiB compressed), except that the Python is
generated to parse, so the scanner has real work and the verdict is ``published``.
Each package has its own name (and later its own second version), so every upload
is stored. Then, per backend:

1. ``argent-marketplace serve --workers 2`` starts on a free loopback port (SQLite in
   a fresh data folder, or a throwaway PostgreSQL database) with local blob storage;
2. one author registers through ``POST /api/v1/authors``;
3. the packages are uploaded with ``POST /api/v1/publish`` (multipart, bearer token)
   over keep-alive connections: one client in sequence (latency of one publish), 4
   concurrent clients with new packages (the target is judged here), and 4 concurrent
   clients with new versions of those packages;
4. after the server stops, one publish is timed in-process, stage by stage
   (``check_package``, key and ownership checks, scan, store) on the same database.

Target (from the issue): >= 20 typical publishes/s on this 2-core machine.

Run: ``.venv/bin/python benchmarks/bench_publish.py [--quick] [--backends sqlite,postgres]
[--check]`` (from the repository root; it imports the helpers of ``bench_verify.py`` and
``bench_catalog.py`` next to it).
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import hashlib
import json
import random
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

import argent_marketplace.publish.pipeline as pipeline
from argent_marketplace.accounts.services import register_author
from argent_marketplace.db.engine import transaction
from argent_marketplace.package.checksums import format_sums
from argent_marketplace.package.signing import generate_private_key, public_key_b64, sign_bytes
from argent_marketplace.package.writer import DEFAULT_MTIME, ArchiveEntry, build_archive
from argent_marketplace.publish.scan import Finding
from argent_marketplace.publish.scan_cache import SharedScanCache
from argent_marketplace.server.services import build_services
from argent_marketplace.server.settings import Settings
from argent_marketplace.storage.interfaces import BlobStorage
from bench_catalog import (
    LoadResult,
    _pct,
    busy_check,
    load,
    machine,
    pg_database,
    running_server,
    table,
    verdict,
)
from bench_verify import FIXTURE, NOUNS, SPECS, VERBS, Gen, _split, python_speed

TARGET_PER_SECOND = 20.0
TYPICAL = next(s for s in SPECS if s.name == "typical-150K")
VARIANTS = 4  # distinct sets of generated files; packages differ in manifest on top
WARMUP = 4

# (phase, concurrent clients, packages, what is uploaded); --quick divides the counts by 3.
PHASES = (
    ("sequential", 1, 24, "new"),
    ("concurrent", 4, 100, "new"),
    ("new-versions", 4, 60, "version"),
)
TARGET_PHASE = "concurrent"
EXCEPTIONS = ("ValueError", "KeyError", "RuntimeError", "ConnectorError")

# --- typical connector content ----------------------------------------------------------


class PyGen(Gen):
    """``bench_verify.Gen`` with Python that parses: every block has its body."""

    def _line(self) -> str:
        r, i = self.r, self.ident
        k = r.randrange(7)
        if k == 0:
            return f"{i()} = {i()}.{r.choice(VERBS)}_{r.choice(NOUNS)}({i()}, {r.randint(0, 5000)})"
        if k == 1:
            return (
                f"if {i()} is None or len({i()}) > {r.randint(1, 500)}:\n"
                f'        raise {r.choice(EXCEPTIONS)}(f"{self.sentence(3, 8)}: {{{i()}!r}}")'
            )
        if k == 2:
            return f"# {self.sentence(4, 12)}."
        if k == 3:
            return (
                f"for {r.choice(NOUNS)}_item in {i()}:\n"
                f"        {i()}.append(self.{r.choice(VERBS)}_{i()}({r.choice(NOUNS)}_item))"
            )
        if k == 4:
            return f'log.debug("{self.sentence(3, 7)} %s", {i()})'
        if k == 5:
            return f'{i()} = {{"{r.choice(NOUNS)}": {i()}, "limit": {r.randint(1, 100)}}}'
        return f"return {i()}"

    def python(self, size: int) -> bytes:
        r = self.r
        network = r.random() < 0.2  # API modules talk HTTP; the manifest declares "network"
        parts = [
            f'"""{self.sentence(8, 16)}."""\n\nfrom __future__ import annotations\n\n'
            "import json\nimport logging\n"
            + ("import urllib.request\n" if network else "")
            + "from typing import Any\n\nlog = logging.getLogger(__name__)\n\n\n"
        ]
        n = len(parts[0])
        while n < size:
            a, b = self.ident(), self.ident()
            while b == a:
                b = self.ident()
            lines = [
                f"def {r.choice(VERBS)}_{self.ident()}(self, {a}: str, "
                f"{b}: int = {r.randint(0, 100)}) -> dict[str, Any]:",
                f'    """{self.sentence(6, 14)}."""',
            ]
            lines += ["    " + self._line() for _ in range(r.randint(4, 18))]
            text = "\n".join(lines) + "\n\n\n"
            parts.append(text)
            n += len(text)
        return "".join(parts).encode()


def variant_entries(seed: int) -> list[ArchiveEntry]:
    """The files of one typical connector (the manifest is added per package)."""
    spec = TYPICAL
    g = PyGen(seed)
    entries = [
        ArchiveEntry("connector.json", 0o644, (FIXTURE / "connector.json").read_bytes()),
        ArchiveEntry("README.md", 0o644, g.markdown(6_000)),
    ]
    harness = "agent-harness"
    for rel in ("pyproject.toml", "permissions.json"):
        entries.append(
            ArchiveEntry(f"{harness}/{rel}", 0o644, (FIXTURE / harness / rel).read_bytes())
        )
    subpackages = ("api", "commands", "models", "auth", "util")
    for i, size in enumerate(_split(g.r, spec.python_bytes, spec.python_files)):
        if i % 4 == 3:
            path = f"{harness}/tests/test_{g.r.choice(VERBS)}_{i:03d}.py"
        else:
            sub = subpackages[i % len(subpackages)]
            path = f"{harness}/cli_aos/airtable/{sub}/{g.r.choice(NOUNS)}_{i:03d}.py"
        data = g.python(size)
        ast.parse(data)  # the scanner must be able to read it, or the verdict changes
        entries.append(ArchiveEntry(path, 0o644, data))
    for i, size in enumerate(_split(g.r, spec.cassette_bytes, spec.cassettes)):
        path = f"{harness}/tests/cassettes/{g.r.choice(NOUNS)}_{g.r.choice(VERBS)}_{i:03d}.yaml"
        entries.append(ArchiveEntry(path, 0o644, g.cassette(size)))
    return entries


def personalise(
    files: list[ArchiveEntry], tag: str, changed: int = 0
) -> tuple[list[ArchiveEntry], list[tuple[str, str]]]:
    """``files`` with a comment naming ``tag`` in every Python module, and their sums.

    Real packages do not share their modules byte for byte, and the server's scanner
    remembers files by content: without this, the 4 variants would be scanned once
    each. ``changed`` modules also get a release line, as in a new version.
    """
    out: list[ArchiveEntry] = []
    edits = 0
    for e in files:
        if not e.path.endswith(".py"):
            out.append(e)
            continue
        data = e.data + f"# {tag}\n".encode()
        if edits < changed:
            data += b"# changed in this release\n"
            edits += 1
        out.append(ArchiveEntry(e.path, e.mode, data))
    return out, [(e.path, hashlib.sha256(e.data).hexdigest()) for e in out]


@dataclass
class Package:
    name: str
    version: str
    data: bytes


def build_package(
    files: list[ArchiveEntry], sums: list[tuple[str, str]], key: Ed25519PrivateKey,
    name: str, version: str,
) -> Package:  # fmt: skip
    manifest = json.loads((FIXTURE / "argent.plugin.json").read_text())
    manifest.update(
        name=name,
        version=version,
        display_name=name.removeprefix("aos-").replace("-", " ").title(),
        description=f"{name}: a typical connector built by bench_publish.py",
        changelog=f"Release {version}.",
    )
    manifest["author"]["publicKey"] = public_key_b64(key)
    doc = json.dumps(manifest, indent=2).encode() + b"\n"
    entries = [ArchiveEntry("argent.plugin.json", 0o644, doc), *files]
    listing = format_sums([("argent.plugin.json", hashlib.sha256(doc).hexdigest()), *sums])
    entries.append(ArchiveEntry("SHA256SUMS", 0o644, listing))
    entries.append(ArchiveEntry("SIGNATURE", 0o644, sign_bytes(listing, key)))
    return Package(name, version, build_archive(entries, DEFAULT_MTIME))


@dataclass
class Corpus:
    key: Ed25519PrivateKey
    warmup: list[Package]
    phases: dict[str, list[Package]]
    inproc: int  # publishes timed in-process
    files: int
    seconds: float


def build_corpus(quick: bool) -> Corpus:
    """Every package any phase uploads, built before the clock starts."""
    t0 = time.perf_counter()
    key = generate_private_key()
    variants = [variant_entries(1000 + v) for v in range(VARIANTS)]
    r = random.Random(5)
    serial = iter(range(100_000))

    def new(version: str = "1.0.0") -> Package:
        n = next(serial)
        name = f"aos-{r.choice(NOUNS)}-{r.choice(VERBS)}-{n:04d}"
        files, sums = personalise(variants[n % VARIANTS], name)
        return build_package(files, sums, key, name, version)

    div = 3 if quick else 1
    warmup = [new() for _ in range(WARMUP)]
    phases: dict[str, list[Package]] = {}
    for phase, _clients, count, kind in PHASES:
        if kind == "new":
            phases[phase] = [new() for _ in range(count // div)]
    base = phases[TARGET_PHASE]
    for phase, _clients, count, kind in PHASES:
        if kind == "version":
            phases[phase] = []
            for n, p in enumerate(base[: count // div]):
                # the same modules as 1.0.0, two of them edited
                files, sums = personalise(variants[n % VARIANTS], p.name, changed=2)
                phases[phase].append(build_package(files, sums, key, p.name, "1.0.1"))
    return Corpus(key, warmup, phases, 8 if quick else 20, len(variants[0]) + 3,
                  time.perf_counter() - t0)  # fmt: skip


# --- HTTP ---------------------------------------------------------------------------------


def publish_request(port: int, token: str, data: bytes) -> bytes:
    boundary = "argent-bench-" + uuid.uuid4().hex
    body = (
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"package\"; "
        f"filename=\"pkg.argent-pkg\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    ).encode() + data + f"\r\n--{boundary}--\r\n".encode()  # fmt: skip
    head = (
        f"POST /api/v1/publish HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Authorization: Bearer {token}\r\nUser-Agent: argent-bench\r\n"
        f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode()
    return head + body


def register(port: int, key: Ed25519PrivateKey) -> str:
    response = httpx.post(
        f"http://127.0.0.1:{port}/api/v1/authors",
        json={"name": "Bench Author", "email": "bench@example.com",
              "public_key": public_key_b64(key)},
        timeout=30,
    )  # fmt: skip
    response.raise_for_status()
    return str(response.json()["token"])


def _statuses(result: LoadResult) -> dict[str, int]:
    """Statuses of stored versions, and error codes of refusals and failures."""
    out: dict[str, int] = {}
    for body in result.bodies:
        doc = json.loads(body)
        status = doc.get("status") or "error:" + str(doc.get("error", {}).get("code", "?"))
        out[status] = out.get(status, 0) + 1
    return out


# --- in-process breakdown -----------------------------------------------------------------


class _Timed:
    """Accumulated seconds per stage name."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def wrap(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - t0

        return timed


class _TimedScanner:
    def __init__(self, inner: Any, timer: _Timed) -> None:
        self.inner, self.timer = inner, timer

    def scan(
        self, files: Mapping[str, bytes], permissions: tuple[str, ...], context: Any = None
    ) -> list[Finding]:
        scan = self.timer.wrap("scan: PackageScanner.scan", self.inner.scan)
        out: list[Finding] = scan(files, permissions, context)
        return out


class _TimedStorage:
    def __init__(self, inner: BlobStorage, timer: _Timed) -> None:
        self.inner, self.timer = inner, timer

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self.inner, name)
        if name == "put":
            return self.timer.wrap("store: blob put (fsync)", attr)
        return attr


class _TimedCache:
    """The shared scan cache, its lookup and its recording timed."""

    def __init__(self, inner: SharedScanCache, timer: _Timed) -> None:
        self.fingerprint = inner.fingerprint
        self.known = timer.wrap("scan: shared cache lookup", inner.known)
        self.record = timer.wrap("scan: shared cache record", inner.record)


@contextlib.contextmanager
def _patched(timer: _Timed) -> Iterator[None]:
    names = ("check_package", "_check_signature", "_existing", "_new_key_findings",
             "_other_authors_names", "_scan", "read_package_files", "store_version")  # fmt: skip
    labels = {
        "check_package": "check_package (verify)",
        "_check_signature": "signature + key_state",
        "_existing": "ownership/version lookup",
        "_new_key_findings": "new-key cooling-off lookup",
        "_other_authors_names": "scan: look-alike names (index)",
        "_scan": "scan (total)",
        "read_package_files": "scan: read_package_files",
        "store_version": "store (total)",
    }
    saved = {n: getattr(pipeline, n) for n in names}
    try:
        for n in names:
            setattr(pipeline, n, timer.wrap(labels[n], saved[n]))
        yield
    finally:
        for n, fn in saved.items():
            setattr(pipeline, n, fn)


@dataclass
class Breakdown:
    total_ms: float
    stages_ms: dict[str, float]
    runs: int
    statuses: dict[str, int] = field(default_factory=dict)


def in_process_breakdown(
    data_dir: Path, url: str | None, corpus: Corpus, workdir: Path, shared_cache: bool = True
) -> Breakdown:
    """Median publish and mean time per stage, ``publish_package`` called directly."""
    settings = Settings(data_dir=data_dir, database_url=url)
    if not shared_cache:
        settings = replace(settings, scan_cache_files=0)
    services = build_services(settings)
    try:
        # A second author with its own key (one key belongs to one author).
        key = generate_private_key()
        with transaction(services.engine) as conn:
            author_id, _token = register_author(
                conn, name="Inproc Author", email="inproc@example.com",
                public_key=public_key_b64(key), secret=services.keys.tokens,
                now=services.clock(),
            )  # fmt: skip
        timer = _Timed()
        ctx = pipeline.PublishContext(
            services.engine, _TimedStorage(services.storage, timer),  # type: ignore[arg-type]
            _TimedScanner(services.scanner, timer), services.limits, services.clock,
            scan_cache=_TimedCache(services.scan_cache, timer) if services.scan_cache else None,  # type: ignore[arg-type]
        )  # fmt: skip
        totals: list[float] = []
        statuses: dict[str, int] = {}
        files = variant_entries(1000)
        # Names (and so module bytes) of this run only: the scan workers' own caches
        # outlive a run.
        run = ("p" if url else "q") + ("s" if shared_cache else "n")
        names = [f"aos-inproc-{run}{n:03d}" for n in range(corpus.inproc + 1)]
        uploads = [build_package(*personalise(files, n), key, n, "1.0.0") for n in names]
        with _patched(timer):
            for n, package in enumerate(uploads):
                path = workdir / f"inproc-{n}.argent-pkg"
                path.write_bytes(package.data)
                if n == 0:  # warm-up, not counted
                    pipeline.publish_package(ctx, author_id, path)
                    timer.seconds.clear()
                    continue
                t0 = time.perf_counter()
                result = pipeline.publish_package(ctx, author_id, path)
                totals.append(time.perf_counter() - t0)
                statuses[result.status] = statuses.get(result.status, 0) + 1
        runs = len(totals)
        totals.sort()
        return Breakdown(
            _pct(totals, 50) * 1e3,
            {k: v / runs * 1e3 for k, v in timer.seconds.items()},
            runs,
            statuses,
        )
    finally:
        services.engine.dispose()


# --- one backend --------------------------------------------------------------------------


@dataclass
class BackendRun:
    backend: str
    http: dict[str, LoadResult]
    statuses: dict[str, dict[str, int]]
    breakdown: Breakdown
    failures: dict[str, int]


def run_backend(
    backend: str, corpus: Corpus, args: argparse.Namespace, tmp: Path, shared_cache: bool = True
) -> BackendRun:
    label = backend if shared_cache else f"{backend} no-shared-cache"
    with contextlib.ExitStack() as stack:
        data_dir = tmp / label.replace(" ", "-")
        data_dir.mkdir()
        url = stack.enter_context(pg_database()) if backend == "postgres" else None
        http: dict[str, LoadResult] = {}
        statuses: dict[str, dict[str, int]] = {}
        log = tmp / f"{label.replace(' ', '-')}-server.log"
        env = {"ARGENT_MARKETPLACE_SCAN_WORKERS": str(args.scan_workers)}
        if not shared_cache:
            env["ARGENT_MARKETPLACE_SCAN_CACHE_FILES"] = "0"
        backend = label
        with running_server(data_dir, url, log, nodelay=args.nodelay, env_extra=env) as server:
            print(f"[{backend}] server on 127.0.0.1:{server.port}, workers {server.workers}",
                  flush=True)  # fmt: skip
            token = register(server.port, corpus.key)
            warm = [publish_request(server.port, token, p.data) for p in corpus.warmup]
            result = load(server, warm, total=len(warm), concurrency=2, max_seconds=120,
                          expect=201)  # fmt: skip
            if result.errors:
                print(f"[{backend}] warm-up: {result.errors} failed publish(es)")
            for phase, clients, _count, _kind in PHASES:
                uploads = corpus.phases[phase]
                requests = [publish_request(server.port, token, p.data) for p in uploads]
                result = load(server, requests, total=len(requests), concurrency=clients,
                              max_seconds=120, expect=201, keep_bodies=len(requests))  # fmt: skip
                http[phase] = result
                statuses[phase] = _statuses(result)
                print(
                    f"[{backend}] {phase:<12} c={clients}  n={len(result.latencies_ms):>4}  "
                    f"p50 {result.p50:7.1f} ms  p99 {result.p99:7.1f} ms  "
                    f"{result.rps:6.1f} publishes/s  errors {result.errors}  "
                    f"statuses {statuses[phase]}  server CPU "
                    f"{result.server_cpu / result.wall:.2f}  machine "
                    f"{result.machine_busy * 100:3.0f}%  conns/worker "
                    f"{'/'.join(map(str, result.conns)) or '-'}",
                    flush=True,
                )
        failures = server_exceptions(log)
        for line, n in failures.items():
            print(f"[{backend}] server log: {n} x {line}")
        breakdown = in_process_breakdown(data_dir, url, corpus, tmp, shared_cache)
        return BackendRun(backend, http, statuses, breakdown, failures)


def server_exceptions(log: Path) -> dict[str, int]:
    """The exceptions the server logged (last line of each traceback), counted."""
    out: dict[str, int] = {}
    lines = log.read_text(errors="replace").splitlines()
    for n, line in enumerate(lines):
        if line.startswith("Traceback"):
            for follow in lines[n + 1 :]:
                if follow and not follow.startswith((" ", "Traceback")):
                    out[follow[:160]] = out.get(follow[:160], 0) + 1
                    break
    return out


# --- main ---------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="a third of the uploads")
    parser.add_argument("--backends", default="sqlite,postgres", help="comma-separated")
    parser.add_argument(
        "--nodelay",
        action="store_true",
        help="server with TCP_NODELAY (see bench_catalog.py --nodelay)",
    )
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument(
        "--scan-workers",
        type=int,
        default=1,
        help="ARGENT_MARKETPLACE_SCAN_WORKERS of the server (default 1; 0 scans in-process)",
    )
    parser.add_argument(
        "--shared-cache",
        choices=("on", "off", "both"),
        default="on",
        help="the database scan cache shared by the server processes (both: each backend "
        "twice, side by side)",
    )
    args = parser.parse_args()
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    if not set(backends) <= {"sqlite", "postgres"}:
        parser.error("--backends takes sqlite and/or postgres")
    print(f"machine: {machine()}\n{python_speed()}")
    print(busy_check())
    corpus = build_corpus(args.quick)
    sizes = sorted(len(p.data) for ps in corpus.phases.values() for p in ps)
    count = sum(len(ps) for ps in corpus.phases.values()) + len(corpus.warmup)
    print(
        f"built {count} signed packages in {corpus.seconds:.1f} s: "
        f"{corpus.files} files each, {_pct(sizes, 50) / 1024:.0f} KiB compressed (median), "
        f"{VARIANTS} variants of generated content, distinct manifests\n"
    )
    runs = []
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="argent-bench-publish-") as tmp:
        modes = {"on": (True,), "off": (False,), "both": (True, False)}[args.shared_cache]
        for backend in backends:
            for shared in modes:
                runs.append(run_backend(backend, corpus, args, Path(tmp), shared))

    print(f"\ntotal {time.perf_counter() - t0:.0f} s after the build")
    server = "TCP_NODELAY launcher" if args.nodelay else "argent-marketplace serve"
    print(f"\nHTTP POST /api/v1/publish, {server} --workers 2, local blob storage")
    head = ["phase", "clients", "uploads"]
    for run in runs:
        head += [f"{run.backend} p50 ms", f"{run.backend} p99 ms", f"{run.backend} /s"]
    rows = [head]
    for phase, clients, _count, _kind in PHASES:
        row = [phase, str(clients), str(len(corpus.phases[phase]))]
        for run in runs:
            res = run.http[phase]
            row += [f"{res.p50:.1f}", f"{res.p99:.1f}", f"{res.rps:.1f}"]
        rows.append(row)
    print(table(rows))

    print("\none publish in-process (publish_package; ms: median total, mean per stage)")
    stages = list(dict.fromkeys(k for run in runs for k in run.breakdown.stages_ms))
    rows = [["stage"] + [run.backend for run in runs]]
    for stage in stages:
        rows.append([stage] + [f"{run.breakdown.stages_ms.get(stage, 0.0):.2f}" for run in runs])
    rows.append(["publish_package (median)"] + [f"{run.breakdown.total_ms:.2f}" for run in runs])
    print(table(rows))
    print("(scan and store totals include their sub-stages; runs: "
          + ", ".join(f"{r.backend} {r.breakdown.runs}" for r in runs) + ")\n")  # fmt: skip

    checks = []
    for run in runs:
        res = run.http[TARGET_PHASE]
        published = run.statuses[TARGET_PHASE].get("published", 0)
        ok = res.rps >= TARGET_PER_SECOND and not res.errors and published == len(res.bodies)
        checks.append((ok, f"{run.backend}: {res.rps:.1f} publishes/s with 4 clients "
                       f"(target >= {TARGET_PER_SECOND:g}); {published}/{len(res.bodies)} "
                       "published"))  # fmt: skip
    print("targets")
    for ok, line in checks:
        print(f"  {verdict(ok)}  {line}")
    return 1 if args.check and not all(ok for ok, _ in checks) else 0


if __name__ == "__main__":
    sys.exit(main())
