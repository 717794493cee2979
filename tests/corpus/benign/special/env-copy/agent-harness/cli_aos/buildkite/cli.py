"""Buildkite connector: list builds over the API, trigger local pipelines with the agent CLI."""

import json
import logging
import os
import subprocess
import urllib.request

import click

log = logging.getLogger(__name__)
API = "https://api.buildkite.com/v2"


def agent_env(extra: dict[str, str]) -> dict[str, str]:
    env = {**os.environ, "BUILDKITE_AGENT_DEBUG": "false"}
    env.update(extra)
    return env


def run_agent(*args: str, pipeline: str) -> str:
    env = agent_env({"BUILDKITE_PIPELINE_SLUG": pipeline})
    log.debug("running buildkite-agent %s", " ".join(args))
    done = subprocess.run(["buildkite-agent", *args], env=env, capture_output=True, text=True, check=True)
    return done.stdout


def api_get(path: str) -> list:
    request = urllib.request.Request(
        f"{API}/{path}", headers={"Authorization": f"Bearer {os.environ['BUILDKITE_API_TOKEN']}"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


@click.group()
def main() -> None:
    """Buildkite."""


@main.command("build.list")
@click.argument("org")
def build_list(org: str) -> None:
    """Recent builds of ORG."""
    for build in api_get(f"organizations/{org}/builds?per_page=20"):
        click.echo(f"{build['number']} {build['state']} {build['message']}")


@main.command("build.trigger")
@click.argument("pipeline")
def build_trigger(pipeline: str) -> None:
    """Upload the local pipeline definition."""
    click.echo(run_agent("pipeline", "upload", pipeline=pipeline))
