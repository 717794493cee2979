"""Deployments, through the official client; the default namespace is the pod's own."""
import os

import click
from kubernetes import client, config

NAMESPACE_FILE = "/var/run/secrets/kubernetes.io/serviceaccount/namespace"


def default_namespace() -> str:
    if os.path.exists(NAMESPACE_FILE):
        with open(NAMESPACE_FILE) as fh:
            return fh.read().strip()
    return "default"


@click.command()
@click.option("--namespace", default=None)
def main(namespace):
    """List deployments."""
    try:
        config.load_incluster_config()
    except config.ConfigException:
        config.load_kube_config()
    apps = client.AppsV1Api()
    for d in apps.list_namespaced_deployment(namespace or default_namespace()).items:
        click.echo(f"{d.metadata.name} {d.status.ready_replicas}/{d.spec.replicas}")
