"""Run a task with the Claude Agent SDK; the permission mode is validated and the
unsafe one is refused."""
import asyncio
from typing import Literal, get_args

import click
from claude_agent_sdk import ClaudeAgentOptions, query

PermissionMode = Literal["default", "acceptEdits", "plan", "bypassPermissions"]
ALLOWED = [m for m in get_args(PermissionMode) if m != "bypassPermissions"]


@click.command()
@click.argument("prompt")
@click.option("--mode", type=click.Choice(ALLOWED), default="default")
def main(prompt: str, mode: str) -> None:
    async def run():
        async for msg in query(prompt=prompt, options=ClaudeAgentOptions(permission_mode=mode)):
            click.echo(msg)
    asyncio.run(run())
