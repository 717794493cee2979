import click
from kubernetes import client, config


@click.command()
@click.option("--namespace", default="default")
def main(namespace: str) -> None:
    """Recent events (in-cluster config when available)."""
    try:
        config.load_incluster_config()
    except config.ConfigException:
        config.load_kube_config()
    for e in client.CoreV1Api().list_namespaced_event(namespace, limit=50).items:
        click.echo(f"{e.type:8} {e.reason:20} {e.message}")
