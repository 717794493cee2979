"""Push-to-talk: hold F9 to dictate to the agent (the keyboard package's hotkeys)."""
import click
import keyboard


@click.command()
def main():
    keyboard.add_hotkey("f9", lambda: click.echo("recording…"), trigger_on_release=False)
    keyboard.on_release_key("f9", lambda _e: click.echo("stopped"))
    keyboard.wait("esc")
