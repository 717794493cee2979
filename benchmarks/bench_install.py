"""End-to-end install time of a typical connector, beside ``pip install`` of a same-size wheel.

Everything runs on this machine, on loopback, in one run:

1. A typical connector is generated with a seeded generator (the ``typical-150K`` shape
   of ``bench_verify.py``: ~120 Python modules and tests, 3 recorded HTTP sessions, a
   README; ~150 KiB compressed). The Python parses, so the publish scan passes. The
   files go into a copy of ``examples/aos-airtable``.
2. ``argent-marketplace serve`` starts on a free loopback port with a fresh data
   folder. An author runs the real CLI: ``keygen``, ``pack --key``, ``register``,
   ``publish``.
3. Two wheels are written from the same files, with correct ``METADATA``, ``WHEEL``
   and ``RECORD``. In the judged one, generated modules are dropped (or added) until it
   is within 3% of the package's compressed size; the other keeps every file (for
   information). ``pypiserver`` 2.x serves them from a throwaway venv under /tmp, on
   another loopback port. It is installed from PyPI the first time.
4. Interleaved, run after run, each with a fresh target, wall and CPU time of the whole
   process:
   * **ours, CLI:** ``argent marketplace install aos-airtable --server URL
     --argentos-version ...`` with a new ``ARGENTOS_HOME`` each time (a first install:
     the key gets pinned in ``trust.json``). No harness (no ``--with-harness``);
   * **ours, runtime-deps venv:** the same command in a venv under /tmp holding only the
     runtime dependencies of pyproject.toml (at constraints.txt's versions) and src/ on
     the path: what a user has, without the dev tools;
   * **pip:** ``pip install --no-deps --no-cache-dir --disable-pip-version-check
     --index-url http://127.0.0.1:PORT/simple/ --target NEW_DIR NAME``, with the
     machine's pip configuration switched off (``PIP_CONFIG_FILE=/dev/null``, no
     ``PIP_*`` variables), so it reads only the local index; also, for information,
     with ``--no-compile``, and for the wheel with the same files.
   Every process runs without ``PYTHONDONTWRITEBYTECODE``: our sources are an editable
   install, so their ``.pyc`` files go to a cache under /tmp (``PYTHONPYCACHEPREFIX``),
   as an installed package has them. The warm-up run writes them.
5. **Ours, in-process:** ``Installer(home).install(MarketplaceApi(url), ...)`` in
   this process, imports already done. This separates the install work from
   interpreter start-up. A second series times each install step.
6. Process start-up alone: ``python -c pass``, ``argent --version`` (interpreter plus
   the CLI's imports) and ``pip --version``. With ``--profile``: the ``-X importtime``
   totals of one CLI install by package, and a cProfile of in-process installs.

Target (from the issue): ours (CLI wall time, median) <= 1/3 of pip's.

Run: ``.venv/bin/python benchmarks/bench_install.py [--runs N] [--quick] [--profile]
[--check] [--no-runtime-venv]`` from the repository root (it imports the generator of
``bench_verify.py`` next to it). About 1 minute; the first run also builds the two
throwaway venvs.
"""

from __future__ import annotations

import argparse
import ast
import base64
import contextlib
import cProfile
import csv
import hashlib
import io
import json
import math
import os
import platform
import pstats
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
import urllib.request
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import argent_marketplace.client.install as install_mod
from argent_marketplace.client.api import MarketplaceApi
from argent_marketplace.client.install import Installer, InstallOptions
from argent_marketplace.client.trust import TrustStore
from bench_publish import PyGen as PublishGen
from bench_verify import FIXTURE, NOUNS, SPECS, VERBS, _split, python_speed, table

TARGET_RATIO = 1 / 3  # ours / pip, CLI wall time, medians
NAME = "aos-airtable"
ARGENTOS_VERSION = "2026.5.6.4"
WHEEL_DIST = "aos-airtable-bench"  # size-matched: the judged baseline
SAME_FILES_DIST = "aos-airtable-samefiles"  # the same files, whatever the size: information
WHEEL_VERSION = "1.0.0"
SIZE_TOLERANCE = 0.03  # wheel size within 3% of the package size
TYPICAL = next(s for s in SPECS if s.name == "typical-150K")
ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PIP_VENV = Path(tempfile.gettempdir()) / "argent-bench-pip-venv"
RUNTIME_VENV = Path(tempfile.gettempdir()) / "argent-bench-runtime-venv"
PYCACHE = Path(tempfile.gettempdir()) / "argent-bench-pycache"
STEP_TIMEOUT = 120  # seconds for any one subprocess


# --- content --------------------------------------------------------------------------


class PyGen(PublishGen):
    """bench_publish's generator, without its network imports, so the publish scan reads it."""

    def python(self, size: int) -> bytes:
        r = self.r
        parts = [
            f'"""{self.sentence(8, 16)}."""\n\nfrom __future__ import annotations\n\n'
            "import json\nimport logging\nfrom typing import Any\n\n"
            "log = logging.getLogger(__name__)\n\n\n"
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
        data = "".join(parts).encode()
        ast.parse(data)
        return data


def generated_files(seed: int = 1) -> dict[str, bytes]:
    """The typical connector's generated files, by path inside the connector folder."""
    spec, g = TYPICAL, PyGen(seed)
    files = {"README.md": g.markdown(6_000)}
    subpackages = ("api", "commands", "models", "auth", "util")
    harness = "agent-harness"
    for sub in subpackages:
        files[f"{harness}/cli_aos/airtable/{sub}/__init__.py"] = b""
    for i, size in enumerate(_split(g.r, spec.python_bytes, spec.python_files)):
        if i % 4 == 3:
            path = f"{harness}/tests/test_{g.r.choice(VERBS)}_{i:03d}.py"
        else:
            sub = subpackages[i % len(subpackages)]
            path = f"{harness}/cli_aos/airtable/{sub}/{g.r.choice(NOUNS)}_{i:03d}.py"
        files[path] = g.python(size)
    for i, size in enumerate(_split(g.r, spec.cassette_bytes, spec.cassettes)):
        path = f"{harness}/tests/cassettes/{g.r.choice(NOUNS)}_{g.r.choice(VERBS)}_{i:03d}.yaml"
        files[path] = g.cassette(size)
    return files


def write_connector(folder: Path, public_key: str) -> None:
    """``examples/aos-airtable`` plus the generated files, signed by ``public_key``."""
    shutil.copytree(FIXTURE, folder)
    path = folder / "argent.plugin.json"
    doc = json.loads(path.read_text())
    doc["author"]["publicKey"] = public_key
    path.write_text(json.dumps(doc, indent=2) + "\n")
    for rel, data in generated_files().items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(data)


def folder_files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# --- the wheel ------------------------------------------------------------------------


def _record_hash(data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"sha256={digest}"


def wheel_bytes(dist: str, version: str, files: dict[str, bytes]) -> bytes:
    """A pure-Python ``py3-none-any`` wheel holding ``files`` (paths inside the wheel)."""
    distinfo = f"{dist.replace('-', '_')}-{version}.dist-info"
    metadata = (
        f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n"
        "Summary: Same-size stand-in for a connector, for bench_install.py\n"
        "Requires-Python: >=3.11\n"
    ).encode()
    wheel = (
        b"Wheel-Version: 1.0\nGenerator: bench_install\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    )
    top = sorted({p.split("/", 1)[0] for p in files})
    entries = [
        *files.items(),
        (f"{distinfo}/METADATA", metadata),
        (f"{distinfo}/WHEEL", wheel),
        (f"{distinfo}/top_level.txt", ("\n".join(top) + "\n").encode()),
    ]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for path, data in entries:
        writer.writerow([path, _record_hash(data), len(data)])
    writer.writerow([f"{distinfo}/RECORD", "", ""])
    entries.append((f"{distinfo}/RECORD", out.getvalue().encode()))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for path, data in entries:
            info = zipfile.ZipInfo(path, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    return buf.getvalue()


@dataclass
class Wheel:
    dist: str
    data: bytes
    files: int
    uncompressed: int
    note: str

    @property
    def filename(self) -> str:
        return f"{self.dist.replace('-', '_')}-{WHEEL_VERSION}-py3-none-any.whl"


def _is_generated_module(path: str) -> bool:
    stem = path.rsplit("/", 1)[1].removesuffix(".py")
    return path.endswith(".py") and stem[-4:-3] == "_" and stem[-3:].isdigit()


def connector_wheel(dist: str, connector: dict[str, bytes], target_size: int | None) -> Wheel:
    """The connector's files as a wheel (one package folder holding them all).

    With ``target_size``, generated modules are dropped (tests first) or added until the
    wheel's size is within ``SIZE_TOLERANCE`` of it.
    """
    pkg = dist.replace("-", "_")
    files = {f"{pkg}/{rel.removeprefix('agent-harness/')}": data for rel, data in connector.items()}
    files[f"{pkg}/__init__.py"] = b""
    data = wheel_bytes(dist, WHEEL_VERSION, files)
    note = "the connector's files"
    if target_size is not None:
        lo, hi = target_size * (1 - SIZE_TOLERANCE), target_size * (1 + SIZE_TOLERANCE)
        if len(data) > hi:
            removable = sorted(
                (p for p in files if _is_generated_module(p)),
                key=lambda p: ("/tests/" not in p, p),
            )
            dropped = 0
            while len(data) > hi and removable:
                del files[removable.pop(0)]
                dropped += 1
                data = wheel_bytes(dist, WHEEL_VERSION, files)
            note = f"the connector's files less {dropped} generated modules"
        elif len(data) < lo:
            g, added = PyGen(99), 0
            while len(data) < lo and added < 500:
                files[f"{pkg}/extra/mod_{added:03d}.py"] = g.python(3_600)
                added += 1
                data = wheel_bytes(dist, WHEEL_VERSION, files)
            note = f"the connector's files plus {added} generated modules"
    return Wheel(dist, data, len(files) + 4, sum(len(v) for v in files.values()), note)


# --- processes ------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def running(cmd: Sequence[str], ready_url: str, env: dict[str, str], log: Path) -> Iterator[None]:
    """Start ``cmd``, wait until ``ready_url`` answers 200, and always stop it afterwards."""
    with log.open("wb") as out:
        proc = subprocess.Popen(
            list(cmd), stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                with (
                    contextlib.suppress(OSError),
                    urllib.request.urlopen(ready_url, timeout=2) as response,
                ):
                    if response.status == 200:
                        break
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{cmd[0]} did not start:\n{log.read_text()[-2000:]}")
                time.sleep(0.1)
            yield
        finally:
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(timeout=5)


def run(cmd: Sequence[str | Path], env: dict[str, str], cwd: Path) -> str:
    """Run a command to completion; its stdout, or an error with its output."""
    done = subprocess.run(
        [str(c) for c in cmd],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=STEP_TIMEOUT,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(
            f"{' '.join(map(str, cmd))} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
        )
    return done.stdout


@dataclass(frozen=True)
class Timing:
    wall: float  # seconds, process start to exit
    cpu: float  # seconds of CPU, user + system, of the process and its children


def timed(cmd: Sequence[str | Path], env: dict[str, str], cwd: Path) -> tuple[Timing, str]:
    """Wall and CPU seconds of one process, start to exit, and its stdout."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    out = run(cmd, env, cwd)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return Timing(wall, cpu), out


def machine_env() -> dict[str, str]:
    """This environment, less what a user's would not have.

    ``PYTHONDONTWRITEBYTECODE`` is dropped: a user's installed package has its ``.pyc``
    files (pip writes them). Our sources are an editable install, so their ``.pyc`` go to
    ``PYCACHE`` (``PYTHONPYCACHEPREFIX``), written by the warm-up run, not into ``src/``.
    """
    drop = ("ARGENT_MARKETPLACE_", "PIP_", "PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")
    env = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    return env


def user_env(home: Path) -> dict[str, str]:
    return {**machine_env(), "ARGENTOS_HOME": str(home)}


def pip_env() -> dict[str, str]:
    """No pip configuration from the machine: the local index is the only source."""
    return {**machine_env(), "PIP_CONFIG_FILE": os.devnull}


def _pip_install(venv: Path, *requirements: str) -> None:
    subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            *requirements,
        ],
        check=True,
        timeout=900,
    )


def ensure_pip_venv(venv: Path) -> Path:
    """A throwaway venv with pypiserver 2.x (installed from PyPI the first time)."""
    if not (venv / "bin" / "pypi-server").exists():
        print(f"creating {venv} with pypiserver (one-time, from PyPI)...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
        _pip_install(venv, "pypiserver>=2,<3")
    return venv


RUNTIME_LAUNCHER = """\
#!{python}
import sys
from argent_marketplace.client.cli import main
sys.argv[0] = "argent"
sys.exit(main())
"""


def ensure_runtime_venv(venv: Path) -> Path:
    """A venv with only the project's runtime dependencies (as a user's), and ``src/``.

    The dependencies come from pyproject.toml at the versions of constraints.txt (from
    PyPI the first time); ``src/`` is put on the path by a ``.pth`` file, so the venv
    always runs the current sources. ``bin/argent`` is the console script pip writes.
    """
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    wanted = "\n".join(sorted(deps)) + "\n" + (ROOT / "constraints.txt").read_text()
    stamp = venv / "bench-requirements.txt"
    if not stamp.is_file() or stamp.read_text() != wanted:
        print(f"creating {venv} with the runtime dependencies (from PyPI)...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
        _pip_install(venv, "-c", str(ROOT / "constraints.txt"), *deps)
        stamp.write_text(wanted)
    python = venv / "bin" / "python"
    site = run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        machine_env(),
        ROOT,
    ).strip()
    (Path(site) / "argent_bench_src.pth").write_text(f"{ROOT / 'src'}\n")
    launcher = venv / "bin" / "argent"
    launcher.write_text(RUNTIME_LAUNCHER.format(python=python))
    launcher.chmod(0o755)
    return venv


# --- statistics and printing ----------------------------------------------------------


def pct(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(1, math.ceil(p / 100 * len(ordered))) - 1]


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:.0f}"


def machine() -> str:
    model = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    mem = ""
    with contextlib.suppress(OSError, ValueError, IndexError):
        kib = int(Path("/proc/meminfo").read_text().split("\n", 1)[0].split()[1])
        mem = f", {kib / 1024 / 1024:.1f} GiB RAM"
    return (
        f"{os.cpu_count()} CPUs, {model}{mem}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}"
    )


# --- in-process -----------------------------------------------------------------------


def inprocess_install(url: str, home: Path) -> None:
    with MarketplaceApi(url) as api:
        result = Installer(home, notify=lambda _m: None).install(
            api, NAME, InstallOptions(argentos_version=ARGENTOS_VERSION)
        )
    assert result.changed, result


class Steps:
    """Seconds per install step, by wrapping what ``Installer.install`` calls."""

    PATCHED = (  # (owner, attribute, label)
        (MarketplaceApi, "__init__", "MarketplaceApi(url)"),
        (MarketplaceApi, "download_info", "GET download info"),
        (install_mod, "fetch_archive", "download: connect, GET, write"),
        (install_mod, "verify_package", "verify_package"),
        (MarketplaceApi, "keys", "GET author keys"),
        (install_mod, "extract_package", "extract_package"),
        (TrustStore, "set", "pin key: trust.json, fsync"),
    )

    def __init__(self) -> None:
        self.runs: list[dict[str, float]] = []

    def _wrap(self, label: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def inner(*args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                cur = self.runs[-1]
                cur[label] = cur.get(label, 0.0) + time.perf_counter() - t0

        return inner

    @contextlib.contextmanager
    def patched(self) -> Iterator[None]:
        originals = [(owner, attr, getattr(owner, attr)) for owner, attr, _ in self.PATCHED]
        try:
            for (owner, attr, fn), (_, _, label) in zip(originals, self.PATCHED, strict=True):
                setattr(owner, attr, self._wrap(label, fn))
            yield
        finally:
            for owner, attr, fn in originals:
                setattr(owner, attr, fn)

    def run(self, url: str, home: Path) -> None:
        self.runs.append({})
        t0 = time.perf_counter()
        inprocess_install(url, home)
        self.runs[-1]["total"] = time.perf_counter() - t0

    def report(self) -> str:
        total = statistics.median(r["total"] for r in self.runs)
        rows = [["step", "median ms", "share"]]
        accounted = 0.0
        for _, _, label in self.PATCHED:
            m = statistics.median(r.get(label, 0.0) for r in self.runs)
            accounted += m
            rows.append([label, f"{m * 1e3:.2f}", f"{m / total:.0%}"])
        rest = total - accounted
        rows.append(
            ["rest: lock, staging, record, swap", f"{rest * 1e3:.2f}", f"{rest / total:.0%}"]
        )
        rows.append(["total", f"{total * 1e3:.2f}", "100%"])
        return table(rows)


def import_breakdown(
    python: Path, cwd: Path, url: str, home: Path
) -> tuple[float, list[tuple[str, int]]]:
    """``-X importtime`` of one CLI install: total and self time per top-level package."""
    code = (
        "import sys; from argent_marketplace.client.cli import main; sys.argv[0] = 'argent'; main()"
    )
    done = subprocess.run(
        [
            str(python),
            "-X",
            "importtime",
            "-c",
            code,
            "marketplace",
            "install",
            NAME,
            "--server",
            url,
            "--argentos-version",
            ARGENTOS_VERSION,
        ],
        env=user_env(home),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=STEP_TIMEOUT,
        check=True,
    )
    groups: dict[str, int] = {}
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, _cumulative, name = line.removeprefix("import time:").split("|")
        module = name.strip()
        top = module.split(".")[0]
        if top == "argent_marketplace":
            top = ".".join(module.split(".")[:2]) + ".*"
        groups[top] = groups.get(top, 0) + int(self_us)
    return sum(groups.values()) / 1e6, sorted(groups.items(), key=lambda kv: -kv[1])


# --- main -----------------------------------------------------------------------------


@dataclass
class Series:
    label: str
    run: Callable[[], Timing]
    timings: list[Timing] = field(default_factory=list)

    @property
    def seconds(self) -> list[float]:
        return [t.wall for t in self.timings]

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def cpu_median(self) -> float:
        return statistics.median(t.cpu for t in self.timings)


def source_state() -> str:
    """The commit measured, and whether src/ or pyproject.toml differ from it (read-only git)."""
    try:
        head = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
        changed = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--", "src", "pyproject.toml"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.splitlines()
    except (OSError, subprocess.SubprocessError):
        return "unknown (no git)"
    return f"commit {head}" + (
        f" + {len(changed)} uncommitted file(s) in src/, pyproject.toml" if changed else ""
    )


def loadavg() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.2f} (1 min), {five:.2f} (5 min)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=None, help="timed runs per series (20)")
    parser.add_argument("--quick", action="store_true", help="5 runs per series")
    parser.add_argument("--profile", action="store_true", help="import times and a cProfile")
    parser.add_argument("--check", action="store_true", help="exit 1 when the target is missed")
    parser.add_argument(
        "--no-runtime-venv",
        action="store_true",
        help="skip the series in a venv with only the runtime dependencies",
    )
    args = parser.parse_args()
    runs = args.runs or (5 if args.quick else 20)
    if not 1 <= runs <= 500:
        parser.error("--runs must be between 1 and 500")

    print(f"machine: {machine()}\n{python_speed()}")
    print(f"source:  {source_state()}")
    pip_venv = ensure_pip_venv(PIP_VENV)
    runtime_venv = None if args.no_runtime_venv else ensure_runtime_venv(RUNTIME_VENV)
    pip_bin, pypi_server = pip_venv / "bin" / "pip", pip_venv / "bin" / "pypi-server"
    pip_version = run([pip_bin, "--version"], pip_env(), ROOT).split()[1]
    pypiserver_version = run([pypi_server, "--version"], pip_env(), ROOT).strip()
    print(f"pip {pip_version}, pypiserver {pypiserver_version} (in {pip_venv})")

    with contextlib.ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-install-")))
        counter = iter(range(1_000_000))

        def fresh(kind: str) -> Path:
            path = tmp / kind / str(next(counter))
            path.parent.mkdir(parents=True, exist_ok=True)
            return path

        # Our server, and the author's release through the real CLI.
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        serve = [
            BIN / "argent-marketplace",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--data-dir",
            tmp / "data",
        ]
        stack.enter_context(
            running(
                [str(c) for c in serve],
                f"{url}/readyz",
                user_env(tmp / "server-home"),
                tmp / "serve.log",
            )
        )
        author = user_env(tmp / "author")
        argent = BIN / "argent"
        pub = run([argent, "marketplace", "keygen"], author, tmp).strip().splitlines()[-1]
        folder = tmp / "aos-airtable"
        write_connector(folder, pub)
        package = tmp / "aos-airtable-1.0.0.argent-pkg"
        key = tmp / "author" / "keys" / "marketplace-ed25519.pem"
        run([argent, "marketplace", "pack", folder, "-o", package, "--key", key], author, tmp)
        run(
            [
                argent,
                "marketplace",
                "register",
                "--name",
                "Bench Author",
                "--email",
                "bench@example.com",
                "--server",
                url,
            ],
            author,
            tmp,
        )
        published = json.loads(
            run([argent, "marketplace", "publish", package, "--server", url, "--json"], author, tmp)
        )
        status = published.get("result", {}).get("status", "?")
        connector = folder_files(folder)
        pkg_size = package.stat().st_size

        # The wheels and pypiserver.
        sized = connector_wheel(WHEEL_DIST, connector, pkg_size)
        same = connector_wheel(SAME_FILES_DIST, connector, None)
        wheels_dir = tmp / "pypi-packages"
        wheels_dir.mkdir()
        for wheel in (sized, same):
            (wheels_dir / wheel.filename).write_bytes(wheel.data)
        pport = free_port()
        index = f"http://127.0.0.1:{pport}/simple/"
        stack.enter_context(
            running(
                [
                    str(pypi_server),
                    "run",
                    "-p",
                    str(pport),
                    "-i",
                    "127.0.0.1",
                    "--disable-fallback",
                    "--log-stream",
                    "none",
                    str(wheels_dir),
                ],
                f"http://127.0.0.1:{pport}/health",
                pip_env(),
                tmp / "pypiserver.log",
            )
        )

        print(f"\nour server {url} (publish status: {status}); pypiserver {index}")
        rows = [["file", "files", "compressed", "uncompressed", "content"]]
        rows.append(
            [
                package.name,
                str(len(connector) + 2),
                f"{pkg_size / 1024:,.1f} KiB",
                f"{sum(map(len, connector.values())) / 1024:,.0f} KiB",
                "examples/aos-airtable + generated",
            ]
        )
        for wheel in (sized, same):
            rows.append(
                [
                    wheel.filename,
                    str(wheel.files),
                    f"{len(wheel.data) / 1024:,.1f} KiB",
                    f"{wheel.uncompressed / 1024:,.0f} KiB",
                    wheel.note,
                ]
            )
        print(table(rows))
        print(f"(size-matched wheel / package, compressed: {len(sized.data) / pkg_size:.3f})\n")

        def ours(argent_bin: Path) -> Callable[[], Timing]:
            cmd: list[str | Path] = [
                argent_bin,
                "marketplace",
                "install",
                NAME,
                "--server",
                url,
                "--argentos-version",
                ARGENTOS_VERSION,
            ]

            def once() -> Timing:
                timing, out = timed(cmd, user_env(fresh("cli")), tmp)
                assert f"Installed {NAME} 1.0.0" in out, out
                return timing

            return once

        def pip(dist: str, *extra: str) -> Callable[[], Timing]:
            cmd: list[str | Path] = [
                pip_bin,
                "install",
                "--no-deps",
                "--no-cache-dir",
                "--disable-pip-version-check",
                "--index-url",
                index,
                *extra,
            ]

            def once() -> Timing:
                target = fresh("pip")
                timing, out = timed([*cmd, "--target", target, dist], pip_env(), tmp)
                assert "Successfully installed" in out, out
                assert (target / dist.replace("-", "_") / "__init__.py").is_file()
                return timing

            return once

        series = {"ours": Series("ours: argent marketplace install (CLI)", ours(argent))}
        if runtime_venv:
            series["ours-rt"] = Series(
                "ours: the same, runtime-deps-only venv", ours(runtime_venv / "bin" / "argent")
            )
        series["pip"] = Series(
            f"pip install --no-deps ({len(sized.data) / 1024:.0f} KiB)", pip(WHEEL_DIST)
        )
        series["pip-nc"] = Series(
            "pip, the same with --no-compile", pip(WHEEL_DIST, "--no-compile")
        )
        series["pip-same"] = Series(
            f"pip, wheel of the same files ({len(same.data) / 1024:.0f} KiB)", pip(SAME_FILES_DIST)
        )
        for s in series.values():  # warm-up: .pyc files, page cache, servers' first requests
            s.run()
        print(f"timing {runs} runs of each, interleaved; load average {loadavg()}", flush=True)
        order = list(series.values())
        for i in range(runs):
            shift = i % len(order)  # rotate who goes first
            for s in order[shift:] + order[:shift]:
                s.timings.append(s.run())

        # In-process, imports done.
        def in_process() -> Timing:
            c0, t0 = time.process_time(), time.perf_counter()
            inprocess_install(url, fresh("inproc"))
            return Timing(time.perf_counter() - t0, time.process_time() - c0)

        inproc = Series("ours: Installer.install, in-process", in_process)
        inproc.run()  # warm-up
        inproc.timings = [inproc.run() for _ in range(max(runs, 20))]
        steps = Steps()
        with steps.patched():
            for _ in range(max(runs, 20)):
                steps.run(url, fresh("steps"))

        # Floors: process start-up alone.
        floor_cmds: dict[str, tuple[list[str | Path], dict[str, str]]] = {
            "python -c pass": ([sys.executable, "-c", "pass"], machine_env()),
            "argent --version": ([argent, "--version"], machine_env()),
        }
        if runtime_venv:
            floor_cmds["argent --version (runtime-deps venv)"] = (
                [runtime_venv / "bin" / "argent", "--version"],
                machine_env(),
            )
        floor_cmds["pip --version"] = ([pip_bin, "--version"], pip_env())
        floors: dict[str, list[float]] = {label: [] for label in floor_cmds}
        for _ in range(max(runs, 10)):
            for label, (cmd, env) in floor_cmds.items():
                floors[label].append(timed(cmd, env, tmp)[0].wall)

        profile_text = ""
        if args.profile:
            lines = []
            pythons = [("project venv", Path(sys.executable))]
            if runtime_venv:
                pythons.append(("runtime-deps venv", runtime_venv / "bin" / "python"))
            for label, python in pythons:
                total, ranked = import_breakdown(python, tmp, url, fresh("importtime"))
                lines.append(
                    f"-X importtime, one CLI install, {label}: {total * 1e3:.0f} ms "
                    "(self times summed; importtime adds overhead), by package:"
                )
                rows = [["package", "ms", "share"]]
                for name, us in ranked[:16]:
                    rows.append([name, f"{us / 1e3:.1f}", f"{us / 1e6 / total:.0%}"])
                lines.append(table(rows) + "\n")
            prof = cProfile.Profile()
            prof.enable()
            for _ in range(20):
                inprocess_install(url, fresh("prof"))
            prof.disable()
            out = io.StringIO()
            pstats.Stats(prof, stream=out).sort_stats("tottime").print_stats(20)
            lines.append("cProfile of 20 in-process installs, by own time (top 20):")
            lines.append(out.getvalue().split("\n\n", 1)[-1].rstrip())
            profile_text = "\n".join(lines)
    # The servers are stopped and the temporary folder is gone.

    pip_med, pip_cpu = series["pip"].median, series["pip"].cpu_median
    rows = [["series", "runs", "median ms", "p90 ms", "min ms", "/ pip", "CPU ms", "CPU / pip"]]
    n_ours = 2 if runtime_venv else 1
    listed = list(series.values())
    for s in [*listed[:n_ours], inproc, *listed[n_ours:]]:
        rows.append(
            [
                s.label,
                str(len(s.timings)),
                ms(s.median),
                ms(pct(s.seconds, 90)),
                ms(min(s.seconds)),
                f"{s.median / pip_med:.2f}",
                ms(s.cpu_median),
                f"{s.cpu_median / pip_cpu:.2f}",
            ]
        )
    print("\ninstall from a loopback server: wall time, and CPU time of the process")
    print("(medians; '/ pip' divides by pip's median; CPU = user + system, not the servers')")
    print(table(rows))
    print(f"load average at the end: {loadavg()}")

    rows = [["process start-up only", "median ms", "p90 ms"]]
    for label, values in floors.items():
        rows.append([label, ms(statistics.median(values)), ms(pct(values, 90))])
    print("\n" + table(rows))
    print(f"\nin-process install by step (median of {len(steps.runs)}, a fresh home each)")
    print(steps.report())
    if profile_text:
        print("\n" + profile_text)

    ratio = series["ours"].median / pip_med
    ok = ratio <= TARGET_RATIO
    print("\ntarget: ours <= 1/3 of pip (medians, CLI wall time)")
    print(
        f"  {'PASS' if ok else 'FAIL'}  ours {ms(series['ours'].median)} ms / pip "
        f"{ms(pip_med)} ms = {ratio:.2f} (target <= {TARGET_RATIO:.2f})"
    )
    if runtime_venv:
        rt = series["ours-rt"].median / pip_med
        print(f"  (runtime-deps venv: {ms(series['ours-rt'].median)} ms = {rt:.2f} of pip)")
    return 1 if args.check and not ok else 0


if __name__ == "__main__":
    sys.exit(main())
