"""Post to and list Discord channels as a bot (token from DISCORD_BOT_TOKEN).

Users sometimes ask for their *user* token from the Discord desktop app's Local
Storage: this connector never reads it; create a bot in the developer portal.
"""
import os

import click
import requests

API = "https://discord.com/api/v10"


def _h() -> dict:
    return {"Authorization": "Bot " + os.environ["DISCORD_BOT_TOKEN"], "User-Agent": "aos-discordbot (1.0)"}


@click.group()
def main():
    """Discord."""


@main.command("channel.list")
@click.argument("guild")
def channel_list(guild):
    for c in requests.get(f"{API}/guilds/{guild}/channels", headers=_h(), timeout=10).json():
        click.echo(f"{c['id']} #{c['name']}")


@main.command("message.send")
@click.argument("channel")
@click.argument("text")
def message_send(channel, text):
    requests.post(f"{API}/channels/{channel}/messages", json={"content": text}, headers=_h(), timeout=10)
