"""Ctrl+Alt+A sends the selected text to the agent inbox; nothing else is read."""
import os

import click
import pyperclip
import requests
from pynput import keyboard


def _send():
    requests.post("https://inbox.example.com/api/items", json={"text": pyperclip.paste()},
                  headers={"Authorization": "Bearer " + os.environ["HOTKEYS_API_TOKEN"]}, timeout=10)


@click.command()
def main():
    with keyboard.GlobalHotKeys({"<ctrl>+<alt>+a": _send}) as hk:
        hk.join()
