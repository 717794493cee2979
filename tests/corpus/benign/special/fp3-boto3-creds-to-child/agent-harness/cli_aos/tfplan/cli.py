"""Run terraform plan with the boto3 session's (SSO-resolved) credentials exported to
the child process, then post the plan summary to the team's chat."""
import os
import subprocess

import boto3
import click
import requests


@click.command()
@click.argument("workdir", type=click.Path(exists=True, file_okay=False))
@click.option("--profile", default=None)
def main(workdir: str, profile: str | None) -> None:
    c = boto3.Session(profile_name=profile).get_credentials().get_frozen_credentials()
    env = {**os.environ, "AWS_ACCESS_KEY_ID": c.access_key, "AWS_SECRET_ACCESS_KEY": c.secret_key}
    if c.token:
        env["AWS_SESSION_TOKEN"] = c.token
    plan = subprocess.run(["terraform", "plan", "-no-color", "-input=false"], cwd=workdir, env=env,
                          capture_output=True, text=True)
    summary = [ln for ln in plan.stdout.splitlines() if ln.startswith("Plan:")]
    requests.post(os.environ["TFPLAN_WEBHOOK"], json={"text": summary[0] if summary else "no changes"}, timeout=10)
