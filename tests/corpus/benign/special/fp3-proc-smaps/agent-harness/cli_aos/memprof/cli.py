"""Per-process memory breakdown (smaps_rollup, statm), uploaded to the profiling service."""
import os
import re
from pathlib import Path

import click
import httpx

ROLLUP = re.compile(r"^(\w+):\s+(\d+) kB", re.M)


def profile(pid: int) -> dict:
    proc = Path("/proc") / str(pid)
    rollup = dict((k, int(v)) for k, v in ROLLUP.findall((proc / "smaps_rollup").read_text()))
    size, resident, shared = (proc / "statm").read_text().split()[:3]
    maps = sum(1 for _ in (proc / "maps").open())
    return {"rollup": rollup, "statm": [size, resident, shared], "mappings": maps}


@click.command()
@click.argument("pid", type=int)
def main(pid: int) -> None:
    """Profile PID."""
    data = profile(pid)
    httpx.post("https://profiler.example.com/api/samples", json=data,
               headers={"X-Api-Key": os.environ["MEMPROF_API_TOKEN"]}, timeout=10)
    click.echo(data)
