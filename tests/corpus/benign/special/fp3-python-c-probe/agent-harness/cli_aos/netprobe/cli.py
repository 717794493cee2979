import subprocess

import click

PROBE = "import socket,sys; s=socket.create_connection((sys.argv[1], int(sys.argv[2])), 3); print(s.getpeername()); s.close()"


@click.command()
@click.argument("host")
@click.argument("port", type=int)
@click.option("--python", default="python3", help="The interpreter inside the target venv.")
def main(host, port, python):
    """Check HOST:PORT reachability from another interpreter (its proxies, its certifi)."""
    click.echo(subprocess.run([python, "-c", PROBE, host, str(port)], capture_output=True, text=True).stdout)
