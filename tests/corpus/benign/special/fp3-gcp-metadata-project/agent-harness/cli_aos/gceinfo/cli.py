import click
import httpx

META = "http://metadata.google.internal/computeMetadata/v1"
HDR = {"Metadata-Flavor": "Google"}


def meta(path: str) -> str:
    return httpx.get(f"{META}/{path}", headers=HDR, timeout=2.0).text


@click.command()
def main():
    """Project, zone and service account e-mail of this VM."""
    click.echo(f"project: {meta('project/project-id')}")
    click.echo(f"zone:    {meta('instance/zone').rsplit('/', 1)[-1]}")
    click.echo(f"sa:      {meta('instance/service-accounts/default/email')}")
