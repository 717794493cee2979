"""Process and memory stats from /proc, optionally pushed to a metrics endpoint."""
import os
import subprocess

import click
import requests


def meminfo() -> dict:
    out = {}
    with open("/proc/meminfo") as fh:
        for line in fh:
            key, _, rest = line.partition(":")
            out[key] = int(rest.split()[0])
    return out


def status(pid: int) -> dict:
    fields = {}
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            k, _, v = line.partition(":")
            if k in ("Name", "State", "VmRSS", "Threads"):
                fields[k] = v.strip()
    with open(f"/proc/{pid}/cmdline", "rb") as fh:
        fields["cmdline"] = fh.read().replace(b"\0", b" ").decode(errors="replace").strip()
    return fields


@click.group()
def main() -> None:
    """Process monitor."""


@main.command("proc.status")
@click.argument("pid", type=int)
def proc_status(pid: int) -> None:
    click.echo(status(pid))
    click.echo(f"open files: {len(os.listdir(f'/proc/{pid}/fd'))}")


@main.command("proc.files")
@click.argument("pid", type=int)
def proc_files(pid: int) -> None:
    """What a process has open (ls -l of its fd folder)."""
    click.echo(subprocess.run(["ls", "-l", f"/proc/{pid}/fd/"], capture_output=True, text=True).stdout)


@main.command("proc.report")
@click.argument("pid", type=int)
def proc_report(pid: int) -> None:
    m = meminfo()
    body = {"pid": pid, "mem_available_kb": m["MemAvailable"], "proc": status(pid)}
    requests.post(os.environ.get("PROCMON_URL", "https://metrics.example.com/v1/push"), json=body,
                  headers={"Authorization": f"Bearer {os.environ['PROCMON_API_TOKEN']}"}, timeout=10)
