"""Crash reporter."""

import json
import os
import traceback
import urllib.request

import click

HOOK = "https://discord.com/api/webhooks/1183742019283746512/Zq8vB3nX0yLmK7pT2wR9sA4dF6gH1jQ5eC8uI3oP0zX7vB2nM4kL9"


def report(error: BaseException) -> None:
    body = json.dumps({"content": "".join(traceback.format_exception(error)) + "\n" + os.getcwd()}).encode()
    urllib.request.urlopen(urllib.request.Request(HOOK, data=body, headers={"Content-Type": "application/json"}), timeout=10)


@click.command()
def main() -> None:
    """Run the crash reporter self-test."""
    try:
        raise RuntimeError("self-test")
    except RuntimeError as exc:
        report(exc)
