"""Verify throughput against the raw limits of the same machine, in one run.

Builds three signed packages in memory with a seeded generator (the same bytes on
every run), then measures:

* ``verify_package`` on each, from bytes in memory and from a file path (median of
  N runs): MB/s of compressed and of uncompressed bytes, and packages/s;
* the raw baseline on the same bytes: one-shot gunzip (``zlib.decompress``) plus
  ``hashlib.sha256`` over the uncompressed bytes, and Ed25519 verifies/s with
  ``cryptography``;
* the peak memory of verifying the ~50 MB package in a fresh child process.

Targets (from the issue): verification costs at most 2x the raw sha256 + gunzip
time of the same bytes; a typical connector verifies in under 5 ms; verifying a
package of 50 MB uncompressed stays under 64 MB peak memory.

Run: ``.venv/bin/python benchmarks/bench_verify.py [--quick]``.
"""

from __future__ import annotations

import argparse
import ast
import base64
import gc
import hashlib
import json
import os
import platform
import random
import statistics
import string
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from argent_marketplace.package.checksums import format_sums
from argent_marketplace.package.limits import DEFAULT_LIMITS
from argent_marketplace.package.signing import (
    generate_private_key,
    public_key_b64,
    sign_bytes,
    verify_signature,
)
from argent_marketplace.package.verify import verify_package
from argent_marketplace.package.writer import DEFAULT_MTIME, ArchiveEntry, build_archive

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "examples" / "aos-airtable"
MB = 1_000_000  # throughput is reported in decimal MB/s; sizes in the table say which unit
MiB = 1024 * 1024

TARGET_RATIO = 2.0  # verify time / (gunzip + sha256) time
TARGET_TYPICAL_MS = 5.0
TARGET_PEAK_MIB = 64.0

# --- content generation ---------------------------------------------------------------
# Source-like text compresses ~3.7x with gzip -9 (this repo's own src/ compresses 3.6x);
# recorded HTTP cassettes ~12x; vendored wheels and images do not compress at all.


def _words(text: str) -> list[str]:
    return text.split()


NOUNS = _words(
    "record table base field client request response page cursor token limit offset "
    "schema view filter sort value error retry timeout config session payload header "
    "status result item batch cache user account workspace webhook event attachment "
    "comment formula lookup rollup option"
)
VERBS = _words(
    "get list create update delete fetch parse build load save check format render sync "
    "merge split resolve validate encode decode"
)
PROSE = _words(
    "the a of to and in is that for it with as on be this by are or from at an which not "
    "when if each every before after only return raise value given list pass none empty "
    "request page next call retry time field name key table record base api error"
)
SYLLABLES = _words("ba co de fi gu ka lo mi nu pa re si to va xe zo qu th st ch")
EXCEPTIONS = ("ValueError", "KeyError", "RuntimeError", "ConnectorError")
STATUSES = ("Todo", "In progress", "Blocked", "Done", "Archived")
ALNUM = string.ascii_letters + string.digits


class Gen:
    """Seeded pseudo-random generator of connector-like files."""

    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)
        self.ids = NOUNS + [
            "".join(self.r.choices(SYLLABLES, k=self.r.randint(1, 3))) for _ in range(200)
        ]

    def ident(self) -> str:
        r = self.r
        return (
            r.choice(self.ids) if r.random() < 0.5 else f"{r.choice(self.ids)}_{r.choice(self.ids)}"
        )

    def sentence(self, lo: int, hi: int) -> str:
        return " ".join(self.r.choices(PROSE, k=self.r.randint(lo, hi))).capitalize()

    def _line(self) -> str:
        r, i = self.r, self.ident
        k = r.randrange(8)
        if k == 0:
            return f"{i()} = {i()}.{r.choice(VERBS)}_{r.choice(NOUNS)}({i()}, {r.randint(0, 5000)})"
        if k == 1:
            return f"if {i()} is None or len({i()}) > {r.randint(1, 500)}:"
        if k == 2:
            return f'    raise {r.choice(EXCEPTIONS)}(f"{self.sentence(3, 8)}: {{{i()}!r}}")'
        if k == 3:
            return f"# {self.sentence(4, 12)}."
        if k == 4:
            n1, n2, n3 = r.choice(NOUNS), r.choice(NOUNS), r.choice(NOUNS)
            return f'return {{"{n1}": {i()}, "{n2}": {i()}.get("{n3}")}}'
        if k == 5:
            return f"for {r.choice(NOUNS)} in {i()}:"
        if k == 6:
            return f"    {i()}.append(self.{r.choice(VERBS)}_{i()}({r.choice(NOUNS)}))"
        return f'log.debug("{self.sentence(3, 7)} %s", {i()})'

    def python(self, size: int) -> bytes:
        r = self.r
        parts = [
            f'"""{self.sentence(8, 16)}."""\n\nfrom __future__ import annotations\n\n'
            "import json\nimport logging\nfrom typing import Any\n\n"
            "log = logging.getLogger(__name__)\n\n\n"
        ]
        n = len(parts[0])
        while n < size:
            lines = [
                f"def {r.choice(VERBS)}_{self.ident()}(self, {self.ident()}: str, "
                f"{self.ident()}: int = {r.randint(0, 100)}) -> dict[str, Any]:",
                f'    """{self.sentence(6, 14)}."""',
            ]
            lines += ["    " + self._line() for _ in range(r.randint(4, 18))]
            text = "\n".join(lines) + "\n\n\n"
            parts.append(text)
            n += len(text)
        return "".join(parts).encode()

    def markdown(self, size: int) -> bytes:
        parts = ["# aos-airtable\n\n"]
        n = 0
        while n < size:
            text = f"## {self.sentence(2, 5)}\n\n" + "\n".join(
                self.sentence(8, 16) + "." for _ in range(self.r.randint(2, 6))
            )
            text += (
                f"\n\n```bash\naos-airtable {self.r.choice(NOUNS)} {self.r.choice(VERBS)}\n```\n\n"
            )
            parts.append(text)
            n += len(text)
        return "".join(parts).encode()

    def _record(self) -> dict[str, object]:
        r = self.r
        return {
            "id": "rec" + "".join(r.choices(ALNUM, k=14)),
            "createdTime": f"2026-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}T"
            f"{r.randint(0, 23):02d}:{r.randint(0, 59):02d}:{r.randint(0, 59):02d}.000Z",
            "fields": {
                "Name": self.sentence(2, 5),
                "Status": r.choice(STATUSES),
                "Priority": r.randint(1, 5),
                "Owner": f"{r.choice(self.ids)}@example.com",
                "Estimate": round(r.random() * 40, 1),
                "Notes": self.sentence(0, 14),
            },
        }

    def cassette(self, size: int) -> bytes:
        """A recorded HTTP session (vcrpy YAML): repeated headers, JSON bodies."""
        r = self.r
        parts = ["interactions:\n"]
        n = 0
        while n < size:
            body = json.dumps(
                {"records": [self._record() for _ in range(r.randint(1, 3))]}, indent=2
            )
            body = "\n".join("        " + line for line in body.splitlines())
            date = (
                f"Mon, {r.randint(1, 28):02d} Mar 2026 "
                f"{r.randint(0, 23):02d}:{r.randint(0, 59):02d}:{r.randint(0, 59):02d} GMT"
            )
            text = CASSETTE.format(
                noun=r.choice(NOUNS),
                size=r.choice((10, 50, 100)),
                body=body,
                date=date,
                rid="".join(r.choices("0123456789abcdef", k=32)),
            )
            parts.append(text)
            n += len(text)
        parts.append("version: 1\n")
        return "".join(parts).encode()

    def binary(self, size: int) -> bytes:
        return self.r.randbytes(size)


CASSETTE = """\
- request:
    body: null
    headers:
      Accept:
      - application/json
      Accept-Encoding:
      - gzip, deflate
      Authorization:
      - Bearer <REDACTED>
      Connection:
      - keep-alive
      User-Agent:
      - cli-aos-airtable/1.0.0 python-httpx/0.27.0
    method: GET
    uri: https://api.airtable.com/v0/appXXXXXXXXXXXXXX/{noun}?pageSize={size}&view=Grid%20view
  response:
    body:
      string: |
{body}
    headers:
      Access-Control-Allow-Headers:
      - authorization,content-length,content-type,user-agent,x-airtable-user-agent
      Access-Control-Allow-Methods:
      - DELETE,GET,OPTIONS,PATCH,POST,PUT
      Content-Type:
      - application/json; charset=utf-8
      Date:
      - {date}
      Server:
      - Tengine
      Strict-Transport-Security:
      - max-age=31536000; includeSubDomains; preload
      Vary:
      - Accept-Encoding
      X-Content-Type-Options:
      - nosniff
      X-Request-Id:
      - {rid}
    status:
      code: 200
      message: OK
"""


@dataclass(frozen=True)
class Spec:
    """How much of each kind of content a package holds (uncompressed bytes)."""

    name: str
    python_files: int
    python_bytes: int
    cassettes: int
    cassette_bytes: int
    binaries: int
    binary_bytes: int
    seed: int


SPECS = (
    # A typical connector: ~120 modules and tests, a few recorded sessions; ~150 KB gzipped.
    Spec("typical-150K", 120, 440_000, 3, 50_000, 0, 0, seed=1),
    # A large connector with vendored wheels/images: ~5 MB gzipped, under the 5 MiB cap.
    Spec("large-5M", 600, 6_000_000, 40, 8_000_000, 6, 2_500_000, seed=2),
    # ~50 MB uncompressed (under the 50 MiB cap) that still fits in 5 MiB: ratio ~10.
    Spec("inflated-50M", 400, 3_000_000, 220, 47_400_000, 0, 0, seed=3),
)


def _split(r: random.Random, total: int, parts: int) -> list[int]:
    """``parts`` sizes summing to ``total``, varied from 0.25x to 1.75x the mean."""
    weights = [r.uniform(0.25, 1.75) for _ in range(parts)]
    scale = total / sum(weights)
    return [max(1, int(w * scale)) for w in weights]


def package_entries(spec: Spec, public_key: str) -> list[ArchiveEntry]:
    g = Gen(spec.seed)
    manifest = json.loads((FIXTURE / "argent.plugin.json").read_text())
    manifest["author"]["publicKey"] = public_key
    entries = [
        ArchiveEntry("argent.plugin.json", 0o644, json.dumps(manifest, indent=2).encode() + b"\n"),
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
        entries.append(ArchiveEntry(path, 0o644, g.python(size)))
    for i, size in enumerate(
        _split(g.r, spec.cassette_bytes, spec.cassettes) if spec.cassettes else []
    ):
        path = f"{harness}/tests/cassettes/{g.r.choice(NOUNS)}_{g.r.choice(VERBS)}_{i:03d}.yaml"
        entries.append(ArchiveEntry(path, 0o644, g.cassette(size)))
    for i, size in enumerate(
        _split(g.r, spec.binary_bytes, spec.binaries) if spec.binaries else []
    ):
        path = f"{harness}/vendor/dep_{i:02d}-1.0-py3-none-any.whl"
        entries.append(ArchiveEntry(path, 0o644, g.binary(size)))
    return entries


def build_package(spec: Spec, key: Ed25519PrivateKey) -> tuple[bytes, int]:
    """The signed package and its number of files (control files included)."""
    entries = package_entries(spec, public_key_b64(key))
    sums = format_sums((e.path, hashlib.sha256(e.data).hexdigest()) for e in entries)
    entries.append(ArchiveEntry("SHA256SUMS", 0o644, sums))
    entries.append(ArchiveEntry("SIGNATURE", 0o644, sign_bytes(sums, key)))
    return build_archive(entries, DEFAULT_MTIME), len(entries)


# --- measurement ----------------------------------------------------------------------


def median_seconds(fn: Callable[[], object], runs: int, warmup: int = 1) -> float:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def gunzip_sha256_streamed(data: bytes, chunk: int = DEFAULT_LIMITS.chunk_bytes) -> bytes:
    """The floor of a bounded-memory verifier: feed and inflate ``chunk`` bytes at a time,
    hashing the compressed input and the inflated output as they pass (as the reader does)."""
    z = zlib.decompressobj(wbits=31)
    h_in, h_out = hashlib.sha256(), hashlib.sha256()
    for start in range(0, len(data), chunk):
        piece = data[start : start + chunk]
        h_in.update(piece)
        while piece:
            h_out.update(z.decompress(piece, chunk))
            piece = z.unconsumed_tail
    return h_out.digest()


def rate_per_second(fn: Callable[[], object], seconds: float) -> float:
    fn()
    count, t0 = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - t0) < seconds:
        for _ in range(100):
            fn()
        count += 100
    return count / elapsed


CHILD = """
import gc, resource, sys, time
from pathlib import Path
from argent_marketplace.package.verify import verify_package

def status(field):
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return -1

mode, path = sys.argv[1], Path(sys.argv[2])
gc.collect()
base_rss, import_hwm = status("VmRSS"), status("VmHWM")
try:  # reset the high-water mark so VmHWM below is the verification phase only
    with open("/proc/self/clear_refs", "w") as fh:
        fh.write("5")
    reset = 1
except OSError:
    reset = 0
source = path.read_bytes() if mode == "bytes" else path
t0 = time.perf_counter()
verify_package(source)
elapsed = time.perf_counter() - t0
verify_hwm = status("VmHWM")
maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(base_rss, import_hwm, verify_hwm, maxrss, reset, elapsed)
"""


def child_memory(path: Path, mode: str) -> dict[str, float]:
    """Verify ``path`` in a fresh interpreter; RSS figures in KiB (Linux /proc units)."""
    # Linux copies the high-water RSS of the mm a process execs from into its ru_maxrss, and
    # a direct child execs from (a copy of) this big benchmark process. Going through a
    # small /bin/sh keeps the child's ru_maxrss its own.
    argv = [sys.executable, "-c", CHILD, mode, str(path)]
    if Path("/bin/sh").exists():
        argv = ["/bin/sh", "-c", '"$0" "$@"; exit $?', *argv]
    out = subprocess.run(
        argv,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    base, import_hwm, verify_hwm, maxrss, reset = (int(x) for x in out[:5])
    return {
        "base_rss": base,
        "import_hwm": import_hwm,
        "verify_hwm": verify_hwm,
        "total_peak": max(import_hwm, verify_hwm),
        "ru_maxrss": maxrss,
        "reset": reset,
        "seconds": float(out[5]),
    }


def python_speed() -> str:
    """Two fixed CPU-bound yardsticks, so that figures from different machines compare.

    Machines of the same name differ: on two "AMD EPYC" VMs of this project the
    same scan took 60 ms and 127 ms. Every benchmark prints these beside its figures.
    The parsed text is the standard library's ``argparse.py``: fixed for a given Python,
    unlike our own modules (until 2026-12-08 it was ``scan/python_calls.py``, 61 KB).
    """
    text = Path(argparse.__file__).read_text()

    def best(fn: Callable[[], object]) -> float:
        times = []
        gc.disable()  # as timeit does: the collector's cost depends on the caller's heap
        try:
            for _ in range(5):
                started = time.perf_counter()
                fn()
                times.append(time.perf_counter() - started)
        finally:
            gc.enable()
        return min(times) * 1000

    parse = best(lambda: ast.parse(text))
    loop = best(lambda: sum(range(1_000_000)))
    return (
        f"Python speed: ast.parse of {len(text) / 1000:.0f} KB {parse:.1f} ms, "
        f"sum(range(10**6)) {loop:.1f} ms (lower is faster)"
    )


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} CPUs, {model}; Python {platform.python_version()} "
        f"({platform.python_implementation()}), {platform.system()} {platform.release()}; "
        f"zlib {zlib.ZLIB_RUNTIME_VERSION}"
    )


def table(rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        lines.append(
            "  ".join(
                c.rjust(w) if i else c.ljust(w)
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            )
        )
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def build_all() -> dict[str, tuple[bytes, int, bytes]]:
    """name -> (package bytes, number of files, uncompressed tar bytes)."""
    key = generate_private_key()
    packages = {}
    for spec in SPECS:
        data, files = build_package(spec, key)
        raw = zlib.decompress(data, wbits=31)
        assert len(data) <= DEFAULT_LIMITS.max_compressed_bytes, spec.name
        assert len(raw) <= DEFAULT_LIMITS.max_uncompressed_bytes, spec.name
        packages[spec.name] = (data, files, raw)
    return packages


def measure(data: bytes, raw: bytes, path: Path, runs: int) -> dict[str, float]:
    """Median seconds of each operation on one package."""
    verify_package(data)  # fails loudly if the generated package is not valid
    return {
        "bytes": median_seconds(lambda: verify_package(data), runs),
        "path": median_seconds(lambda: verify_package(path), runs),
        "gunzip": median_seconds(lambda: zlib.decompress(data, wbits=31), runs),
        "sha256": median_seconds(lambda: hashlib.sha256(raw).digest(), runs),
        "stream": median_seconds(lambda: gunzip_sha256_streamed(data), runs),
        "c": len(data),
        "u": len(raw),
    }


def ed25519_rates(typical: bytes, seconds: float) -> tuple[float, float]:
    """Verifies/s of the bare primitive and of our verify_signature, on real SHA256SUMS."""
    verified = verify_package(typical)
    pub_b64 = verified.manifest.public_key
    sums = verified.contents.control["SHA256SUMS"]
    sig_file = verified.contents.control["SIGNATURE"]
    sig = base64.b64decode(sig_file)
    pub = Ed25519PublicKey.from_public_bytes(base64.b64decode(pub_b64))
    return (
        rate_per_second(lambda: pub.verify(sig, sums), seconds),
        rate_per_second(lambda: verify_signature(sums, sig_file, pub_b64), seconds),
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="fewer iterations (~3x faster)")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()
    div = 4 if args.quick else 1
    runs = {"typical-150K": 400 // div, "large-5M": 20 // div, "inflated-50M": 8 // div}
    lim = DEFAULT_LIMITS

    print(f"machine: {machine()}\n{python_speed()}")
    print(
        f"limits:  {lim.max_compressed_bytes / MiB:g} MiB compressed, "
        f"{lim.max_uncompressed_bytes / MiB:g} MiB uncompressed, ratio {lim.max_ratio}, "
        f"chunk {lim.chunk_bytes // 1024} KiB"
    )
    t0 = time.perf_counter()
    packages = build_all()
    print(f"built {len(packages)} signed packages in {time.perf_counter() - t0:.1f} s\n")

    rows = [["package", "files", "compressed", "uncompressed", "ratio", "runs"]]
    for name, (data, files, raw) in packages.items():
        rows.append(
            [
                name,
                str(files),
                f"{len(data) / 1024:,.0f} KiB",
                f"{len(raw) / 1024:,.0f} KiB",
                f"{len(raw) / len(data):.1f}",
                str(runs[name]),
            ]
        )
    print(table(rows) + "\n")

    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        paths = {}
        for name, (data, _files, raw) in packages.items():
            paths[name] = Path(tmp) / f"{name}.argent-pkg"
            paths[name].write_bytes(data)
            results[name] = measure(data, raw, paths[name], runs[name])
        del packages["inflated-50M"], raw  # keep this process small while the child runs
        memory = {mode: child_memory(paths["inflated-50M"], mode) for mode in ("path", "bytes")}
    ed_raw, ed_ours = ed25519_rates(packages["typical-150K"][0], 0.5 / div)

    checks: list[tuple[bool, str]] = []
    rows = [["package", "source", "verify ms", "MB/s comp", "MB/s uncomp", "pkg/s"]]
    rows[0] += ["raw ms", "ours/raw", "<=2x"]
    for name, r in results.items():
        raw_s = r["gunzip"] + r["sha256"]
        for source in ("bytes", "path"):
            t = r[source]
            ratio = t / raw_s
            ok = ratio <= TARGET_RATIO
            rows.append(
                [
                    name,
                    source,
                    f"{t * 1e3:.2f}",
                    f"{r['c'] / MB / t:.1f}",
                    f"{r['u'] / MB / t:.1f}",
                    f"{1 / t:,.1f}",
                    f"{raw_s * 1e3:.2f}",
                    f"{ratio:.2f}x",
                    verdict(ok),
                ]
            )
            checks.append((ok, f"{name} ({source}): verify {ratio:.2f}x raw (target <= 2x)"))
    print("verify_package, median; raw = gunzip + sha256 of the same bytes (table below)")
    print(table(rows) + "\n")

    print("raw limits on the same bytes, same run (medians)")
    rows = [["package", "gunzip ms", "gunzip MB/s", "sha256 ms", "sha256 MB/s", "raw ms"]]
    rows[0] += ["streamed ms", "ours/streamed"]
    for name, r in results.items():
        rows.append(
            [
                name,
                f"{r['gunzip'] * 1e3:.2f}",
                f"{r['u'] / MB / r['gunzip']:,.0f}",
                f"{r['sha256'] * 1e3:.2f}",
                f"{r['u'] / MB / r['sha256']:,.0f}",
                f"{(r['gunzip'] + r['sha256']) * 1e3:.2f}",
                f"{r['stream'] * 1e3:.2f}",
                f"{r['bytes'] / r['stream']:.2f}x",
            ]
        )
    print(table(rows))
    print(
        "(gunzip = one-shot zlib.decompress, MB/s of output; sha256 = hashlib over the\n"
        " uncompressed bytes; streamed = gunzip in 64 KiB steps hashing input and output as\n"
        " they pass, like the reader: the floor of a bounded-memory verifier)"
    )
    print(f"Ed25519 verify, cryptography, key loaded:      {ed_raw:8,.0f} /s")
    print(f"verify_signature (ours: base64, key checks):   {ed_ours:8,.0f} /s\n")

    typ = results["typical-150K"]
    for source in ("bytes", "path"):
        ms = typ[source] * 1e3
        ok = ms < TARGET_TYPICAL_MS
        checks.append((ok, f"typical-150K ({source}): {ms:.2f} ms (target < 5 ms)"))

    u_mib = results["inflated-50M"]["u"] / MiB
    print(f"peak memory verifying inflated-50M ({u_mib:.1f} MiB uncompressed), fresh child process")
    rows = [["source", "RSS after imports", "verify-phase peak", "delta", "ru_maxrss"]]
    rows[0] += ["total peak", "<64 MiB"]
    for mode, m in memory.items():
        total = m["total_peak"] / 1024
        ok = total < TARGET_PEAK_MIB
        rows.append(
            [
                mode,
                f"{m['base_rss'] / 1024:.1f} MiB",
                f"{m['verify_hwm'] / 1024:.1f} MiB",
                f"{(m['verify_hwm'] - m['base_rss']) / 1024:.1f} MiB",
                f"{m['ru_maxrss'] / 1024:.1f} MiB",
                f"{total:.1f} MiB",
                verdict(ok),
            ]
        )
        checks.append((ok, f"inflated-50M ({mode}): total process peak {total:.1f} MiB (< 64 MiB)"))
    print(table(rows))
    if not all(m["reset"] for m in memory.values()):
        print("(VmHWM could not be reset: 'verify-phase peak' includes the import phase)")
    print(
        "(total peak = max(VmHWM after imports, VmHWM of the verify phase), the whole\n"
        " process; delta = verify-phase peak - RSS after imports; 'bytes' reads the file\n"
        " into memory inside the verify phase)\n"
    )

    print("targets")
    for ok, text in checks:
        print(f"  {verdict(ok)}  {text}")
    return 1 if args.check and not all(ok for ok, _ in checks) else 0


if __name__ == "__main__":
    sys.exit(main())
