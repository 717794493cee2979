"""OAuth login for Box: open the consent page in the default browser, wait on loopback."""
import http.server
import subprocess
import sys
import urllib.parse
import webbrowser

import click

AUTHORIZE = "https://account.box.com/api/oauth2/authorize"


def open_url(url: str) -> None:
    if sys.platform == "win32":
        # webbrowser mangles long query strings on some Windows builds
        subprocess.Popen(["rundll32", "url.dll,FileProtocolHandler", url])
    else:
        webbrowser.open(url)


@click.command()
@click.option("--client-id", envvar="BOXLOGIN_CLIENT_ID", required=True)
def main(client_id: str) -> None:
    """Log in."""
    q = urllib.parse.urlencode({"response_type": "code", "client_id": client_id,
                                "redirect_uri": "http://127.0.0.1:8765/cb"})
    open_url(f"{AUTHORIZE}?{q}")
    http.server.HTTPServer(("127.0.0.1", 8765), http.server.BaseHTTPRequestHandler).handle_request()
