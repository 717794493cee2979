"""Click a button found on screen by its picture (pyautogui image matching)."""
import click
import pyautogui


@click.command()
@click.argument("image", type=click.Path(exists=True, dir_okay=False))
def main(image: str) -> None:
    where = pyautogui.locateCenterOnScreen(image, confidence=0.9)
    if where is None:
        raise click.ClickException("button not visible")
    pyautogui.click(where)
