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

1. reads alone: a mix of details pages, searches, download links, archive downloads
   (the bytes, through the signed URL) and license checks from 4 keep-alive clients,
   for a fixed time;
2. the same reads while 4 clients publish distinct typical connectors (the
   ``typical-150K`` package of ``bench_publish.py``) without pause.

It prints read p50/p99 and req/s in each phase, publishes/s and publish p50, the
read slowdown (p50 and p99 during the burst over p50 and p99 alone), and the same per
kind of read. All clients share one address, so the license limits are raised (not
turned off: each check still writes its counters).

Run: ``.venv/bin/python benchmarks/bench_load.py [--quick] [--backends sqlite,postgres]``
from the repository root (PostgreSQL: the local server of ``bench_catalog.py``).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from sqlalchemy import select

from argent_marketplace.catalog.models import packages
from argent_marketplace.db.engine import make_engine, sqlite_url, transaction
from argent_marketplace.db.migrate import upgrade
from argent_marketplace.licensing.services import issue_license
from argent_marketplace.package.signing import generate_private_key
from argent_marketplace.server.services import build_services
from argent_marketplace.server.settings import Settings
from bench_catalog import (
    COMMON_QUERIES,
    RARE_QUERIES,
    LoadResult,
    _pct,
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
ARCHIVES = 4  # packages published before the reads start: the archives readers download
LICENSES = 20  # keys of paid packages the readers check


@dataclass
class ModeRun:
    mode: str
    alone: LoadResult
    during: LoadResult
    publishes: LoadResult


READ_KINDS = ("details", "search", "download link", "archive", "license check")


def _pair(latencies: list[float]) -> str:
    return f"{_pct(latencies, 50):.1f}/{_pct(latencies, 99):.1f}"


def read_requests(
    names: list[str], archives: list[str], licenses: list[str], port: int
) -> tuple[list[bytes], list[str]]:
    """Details pages most, then searches, archives, download links and license checks.

    ``names`` are free packages (a paid one's download link answers 402); ``archives``
    are signed blob paths of published packages; ``licenses`` are keys of paid ones.
    Returns the requests and the kind of each.
    """
    r = random.Random(7)
    paths: list[str] = []
    kinds: list[str] = []
    for _ in range(600):
        kind = r.choices(READ_KINDS, weights=(35, 30, 10, 15, 10))[0]
        if kind == "details":
            paths.append(f"/api/v1/catalog/{r.choice(names)}")
        elif kind == "search":
            q = r.choice([*COMMON_QUERIES, *RARE_QUERIES])
            paths.append(f"/api/v1/catalog?{urlencode({'q': q})}")
        elif kind == "download link":
            paths.append(f"/api/v1/catalog/{r.choice(names)}/download?format=json")
        elif kind == "archive":
            paths.append(r.choice(archives))
        else:
            paths.append(f"/api/v1/license/check/{r.choice(licenses)}")
        kinds.append(kind)
    return [get_request(p, port) for p in paths], kinds


def archive_paths(port: int, names: list[str]) -> list[str]:
    """The signed blob path of each published package (valid for 5 minutes)."""
    out = []
    for name in names:
        url = f"http://127.0.0.1:{port}/api/v1/catalog/{name}/download?format=json"
        with urllib.request.urlopen(url, timeout=30) as answer:
            signed = urlsplit(json.load(answer)["url"])
        out.append(signed._replace(scheme="", netloc="").geturl())
    return out


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


def run_mode(mode: str, workers: str, names: list[str], licenses: list[str],
             packages: list[Package], key: object, data_dir: Path, url: str | None, log: Path,
             seconds: float) -> ModeRun:  # fmt: skip
    env = {
        "ARGENT_MARKETPLACE_SCAN_WORKERS": workers,
        "ARGENT_MARKETPLACE_LICENSE_CHECKS_PER_ADDRESS": "1000000",
        "ARGENT_MARKETPLACE_LICENSE_CHECKS_PER_KEY": "1000000",
    }
    with running_server(data_dir, url, log, env_extra=env) as server:
        print(f"[{mode}] server on 127.0.0.1:{server.port}, workers {server.workers}", flush=True)
        token = register(server.port, key)  # type: ignore[arg-type]
        # A few packages published first: their archives are what readers download.
        first, packages = packages[:ARCHIVES], packages[ARCHIVES:]
        first_uploads = [publish_request(server.port, token, p.data) for p in first]
        load(server, first_uploads, total=len(first), concurrency=2, max_seconds=120, expect=201)
        archives = archive_paths(server.port, [p.name for p in first])
        reads, kinds = read_requests(names, archives, licenses, server.port)
        load(server, reads, total=200, concurrency=READERS, max_seconds=5)  # warm
        alone = load(server, reads, total=100_000, concurrency=READERS, max_seconds=seconds,
                     kinds=kinds)  # fmt: skip
        uploads = [publish_request(server.port, token, p.data) for p in packages]
        box: dict[str, LoadResult] = {}

        def publish_all() -> None:
            box["publishes"] = load(server, uploads, total=len(uploads), concurrency=PUBLISHERS,
                                    max_seconds=600, expect=201)  # fmt: skip

        publisher = threading.Thread(target=publish_all)
        publisher.start()
        time.sleep(1.0)  # the burst is under way: every publisher has a package in flight
        during = load(server, reads, total=100_000, concurrency=READERS, max_seconds=seconds,
                      kinds=kinds)  # fmt: skip
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
) -> Iterator[tuple[str | None, list[str], list[str]]]:
    """A fresh catalog of ``count`` packages: (database URL or None for SQLite, free names,
    license keys of paid packages)."""
    folder.mkdir()
    with contextlib.ExitStack() as stack:
        url = stack.enter_context(pg_database()) if backend == "postgres" else None
        engine = make_engine(url or sqlite_url(folder))
        upgrade(engine)
        seed(engine, count)
        with engine.connect() as conn:
            listed = packages.c.latest_version.is_not(None)
            free = [row.name for row in conn.execute(
                select(packages.c.name).where(packages.c.pricing == "free", listed))]  # fmt: skip
            paid = [row.name for row in conn.execute(
                select(packages.c.name).where(packages.c.pricing != "free", listed)
                .order_by(packages.c.name).limit(LICENSES))]  # fmt: skip
        engine.dispose()
        # Keys issued as an admin would, with the server's own secrets (kept in the database).
        services = build_services(Settings(data_dir=folder, database_url=url))
        with transaction(services.engine) as conn:
            keys = [
                issue_license(conn, services.license_keys, package=name, license_type=None,
                              now=services.clock())[0]
                for name in paid
            ]  # fmt: skip
        services.engine.dispose()
        yield url, free, keys


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
                with seeded_backend(backend, tmp / label, size) as (url, free, licenses):
                    print(f"[{backend}] seeded {size:,} packages ({len(free):,} free), "
                          f"{len(licenses)} licenses")  # fmt: skip
                    log = tmp / f"server-{label}.log"
                    run = run_mode(f"{backend}, {mode}", workers, free, licenses, corpus, key,
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
    print("\nper kind of read, p50 / p99 ms: alone -> during the burst")
    rows = [["backend", "scans run", *READ_KINDS]]
    for backend, run in runs:
        cells = []
        for kind in READ_KINDS:
            a, d = run.alone.by_kind.get(kind, []), run.during.by_kind.get(kind, [])
            cells.append(_pair(a) + " -> " + _pair(d) if a and d else "-")
        rows.append([backend, run.mode.split(", ", 1)[1], *cells])
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
