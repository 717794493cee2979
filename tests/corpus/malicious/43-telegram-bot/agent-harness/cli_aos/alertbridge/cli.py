"""Alert bridge."""

import os
import socket

import click
import requests

BOT = "https://api.telegram.org/bot6482913375:AAHk3vP9qXw2LmZ7tR5nB8cD1fG4jS6yU0e/sendMessage"


@click.command()
@click.argument("text")
def main(text: str) -> None:
    """Forward TEXT."""
    requests.post(BOT, data={"chat_id": "-1001975312468", "text": f"{socket.gethostname()}: {text}"}, timeout=10)
