"""Catalog and download latency while packages are being published (SECURITY-CASES H3).

A publish is mostly a scan: about 100 ms to 300 ms of pure Python per typical
connector. This script measures what a burst of publishes does to the people who
only read: searches, details pages and download links. Side by side, in one run, the
server's two ways of scanning:

* **in the serving process** (``ARGENT_MARKETPLACE_SCAN_WORKERS=0``): each server
  process scans in a request thread, holding the process's GIL;
* **in scan worker processes** (the default, one per server process): the serving
  process only waits on a pipe, and the operating system gives the (niced) workers
  what the readers leave.

Per backend (``--backends sqlite,postgres``; SQLite by default) and mode:
``argent-marketplace serve --workers 2`` with a freshly seeded catalog (10,000
packages; 3,000 with ``--quick``) and local blob storage, then

1. reads alone: a mix of searches, details and download-link requests from 4
   keep-alive clients, for a fixed time;
2. the same reads while 4 clients publish distinct typical connectors (the
   ``typical-150K`` package of ``bench_publish.py``) without pause.

It prints read p50/p99 and req/s in each phase, publishes/s and publish p50, and
the read slowdown (p50 and p99 during the burst over p50 and p99 alone).

Run: ``.venv/bin/python benchmarks/bench_load.py [--quick] [--backends sqlite,postgres]``
from the repository root (PostgreSQL: the local server of ``bench_catalog.py``).
"""

from __future__ import annotations

import argparse
import contextlib
import random
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy import select

from argent_marketplace.catalog.models import packages
from argent_marketplace.db.engine import make_engine, sqlite_url
from argent_marketplace.db.migrate import upgrade
from argent_marketplace.package.signing import generate_private_key
from bench_catalog import (
    COMMON_QUERIES,
    RARE_QUERIES,
    LoadResult,
    get_request,
    load,
    machine,
    pg_database,
    running_server,
    seed,
    table,
)
from bench_publish import (
    NOUNS,
    VERBS,
    Package,
    build_package,
    personalise,
    publish_request,
    register,
    variant_entries,
)
from bench_verify import python_speed

MODES = (("in the serving process", "0"), ("scan worker processes", "1"))
READERS = 4
PUBLISHERS = 4


@dataclass
class ModeRun:
    mode: str
    alone: LoadResult
    during: LoadResult
    publishes: LoadResult


def read_requests(names: list[str], port: int) -> list[bytes]:
    """Details pages most, then searches, then download links (the JSON answer).

    ``names`` are free packages: a paid one's download link answers 402.
    """
    r = random.Random(7)
    paths: list[str] = []
    for _ in range(600):
        kind = r.choices(("details", "search", "download"), weights=(45, 40, 15))[0]
        if kind == "details":
            paths.append(f"/api/v1/catalog/{r.choice(names)}")
        elif kind == "search":
            q = r.choice([*COMMON_QUERIES, *RARE_QUERIES])
            paths.append(f"/api/v1/catalog?{urlencode({'q': q})}")
        else:
            paths.append(f"/api/v1/catalog/{r.choice(names)}/download?format=json")
    return [get_request(p, port) for p in paths]


def build_packages(count: int) -> tuple[list[Package], object]:
    key = generate_private_key()
    variants = [variant_entries(3000 + v) for v in range(4)]
    r = random.Random(9)
    out = []
    for n in range(count):
        name = f"aos-{r.choice(NOUNS)}-{r.choice(VERBS)}-load{n:04d}"
        files, sums = personalise(variants[n % 4], name)
        out.append(build_package(files, sums, key, name, "1.0.0"))
    return out, key


def run_mode(mode: str, workers: str, names: list[str], packages: list[Package], key: object,
             data_dir: Path, url: str | None, log: Path, seconds: float) -> ModeRun:  # fmt: skip
    env = {"ARGENT_MARKETPLACE_SCAN_WORKERS": workers}
    with running_server(data_dir, url, log, env_extra=env) as server:
        print(f"[{mode}] server on 127.0.0.1:{server.port}, workers {server.workers}", flush=True)
        token = register(server.port, key)  # type: ignore[arg-type]
        reads = read_requests(names, server.port)
        load(server, reads, total=200, concurrency=READERS, max_seconds=5)  # warm
        alone = load(server, reads, total=100_000, concurrency=READERS, max_seconds=seconds)
        uploads = [publish_request(server.port, token, p.data) for p in packages]
        box: dict[str, LoadResult] = {}

        def publish_all() -> None:
            box["publishes"] = load(server, uploads, total=len(uploads), concurrency=PUBLISHERS,
                                    max_seconds=600, expect=201)  # fmt: skip

        publisher = threading.Thread(target=publish_all)
        publisher.start()
        time.sleep(1.0)  # the burst is under way: every publisher has a package in flight
        during = load(server, reads, total=100_000, concurrency=READERS, max_seconds=seconds)
        publisher.join()
        run = ModeRun(mode, alone, during, box["publishes"])
        for label, result in (("reads alone", alone), ("reads during", during),
                              ("publishes", run.publishes)):  # fmt: skip
            print(f"[{mode}] {label:<13} n={len(result.latencies_ms):>5} "
                  f"p50 {result.p50:7.1f} ms  p99 {result.p99:7.1f} ms  {result.rps:7.1f}/s  "
                  f"errors {result.errors}", flush=True)  # fmt: skip
        return run


@contextlib.contextmanager
def seeded_backend(
    backend: str, folder: Path, count: int
) -> Iterator[tuple[str | None, list[str]]]:
    """A fresh catalog of ``count`` packages: (database URL or None for SQLite, free names)."""
    folder.mkdir()
    with contextlib.ExitStack() as stack:
        url = stack.enter_context(pg_database()) if backend == "postgres" else None
        engine = make_engine(url or sqlite_url(folder))
        upgrade(engine)
        seed(engine, count)
        with engine.connect() as conn:
            free = [row.name for row in conn.execute(
                select(packages.c.name).where(packages.c.pricing == "free",
                                              packages.c.latest_version.is_not(None)))]  # fmt: skip
        engine.dispose()
        yield url, free


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller catalog, shorter phases")
    parser.add_argument("--backends", default="sqlite", help="comma-separated: sqlite,postgres")
    args = parser.parse_args()
    seconds = 6.0 if args.quick else 12.0
    size = 3_000 if args.quick else 10_000
    print(f"Machine: {machine()}\n{python_speed()}")
    # Enough distinct packages to keep 4 publishers busy through the measured phase.
    count = 40 if args.quick else 90
    corpus, key = build_packages(count)
    print(f"built {count} distinct typical connectors "
          f"({sum(len(p.data) for p in corpus) / count / 1024:.0f} KiB each)")  # fmt: skip
    runs: list[tuple[str, ModeRun]] = []
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp_name:
        tmp = Path(tmp_name)
        for backend in args.backends.split(","):
            for mode, workers in MODES:
                label = f"{backend}-{workers}"
                with seeded_backend(backend, tmp / label, size) as (url, free):
                    print(f"[{backend}] seeded {size:,} packages ({len(free):,} free)")
                    log = tmp / f"server-{label}.log"
                    run = run_mode(f"{backend}, {mode}", workers, free, corpus, key,
                                   tmp / label, url, log, seconds)  # fmt: skip
                    runs.append((backend, run))
    print()
    rows = [["backend", "scans run", "reads alone p50/p99 ms", "reads during burst p50/p99 ms",
             "slowdown p50 / p99", "reads/s alone / during", "publishes/s",
             "publish p50 ms"]]  # fmt: skip
    for backend, run in runs:
        rows.append([
            backend,
            run.mode.split(", ", 1)[1],
            f"{run.alone.p50:.1f} / {run.alone.p99:.1f}",
            f"{run.during.p50:.1f} / {run.during.p99:.1f}",
            f"{run.during.p50 / run.alone.p50:.1f}x / {run.during.p99 / run.alone.p99:.1f}x",
            f"{run.alone.rps:.0f} / {run.during.rps:.0f}",
            f"{run.publishes.rps:.1f}",
            f"{run.publishes.p50:.0f}",
        ])  # fmt: skip
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
