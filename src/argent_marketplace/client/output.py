"""How every ``argent`` command speaks: one human shape, one JSON envelope.

Commands return a :class:`Outcome`; :func:`run_command` prints it, or turns an
:class:`~argent_marketplace.errors.Error` into one line (what, where, fix) on
stderr and the error's documented exit code. With ``--json`` both go to stdout
as ``{"ok": bool, "command": str, "result"|"error": ...}``.

Human output often quotes a package (names, manifest text, messages naming a
member), which is untrusted. :func:`echo` therefore escapes control and
invisible characters (a terminal would obey an escape sequence or reorder text
around a bidi mark) and encodes what the terminal cannot show as ``\\uXXXX``
instead of failing with a traceback. JSON output is ASCII-only already.
"""

from __future__ import annotations

import json
import re
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NoReturn

import click

from argent_marketplace.errors import Error, ExitCode

__all__ = ["JSON_HELP", "Outcome", "echo", "format_error", "run_command", "terminal_safe"]

JSON_HELP = "Print a machine-readable JSON envelope on stdout."
"""The help text of every command's ``--json`` flag."""

# Controls (newline aside), DEL, C1, and the invisible or direction-changing format
# characters; surrogates cannot be encoded at all. Emoji variation selectors stay.
_UNSAFE = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e"
    "\u2060-\u206f\ufeff\ufff9-\ufffb\ud800-\udfff\U000e0000-\U000e007f]"
)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def terminal_safe(text: str, *, one_line: bool = False) -> str:
    """``text`` with control and invisible characters shown as escapes (``\\x1b``).

    With ``one_line`` a newline is escaped too, so an error stays one line.
    """
    if one_line:
        text = text.replace("\n", "\\n")
    return _UNSAFE.sub(_escape, text)


def echo(text: str, *, err: bool = False, one_line: bool = False) -> None:
    """Print ``text`` made terminal-safe, in an encoding the stream accepts."""
    stream = sys.stderr if err else sys.stdout
    encoding = getattr(stream, "encoding", None) or "utf-8"
    safe = terminal_safe(text, one_line=one_line)
    click.echo(safe.encode(encoding, "backslashreplace"), err=err)


@dataclass
class Outcome:
    """A command's answer: data for ``--json``, text for people, and its exit code."""

    result: dict[str, Any]
    text: str
    exit_code: int = ExitCode.OK
    errors: list[Error] = field(default_factory=list)
    # The text is already terminal-safe and may carry click styles (stripped when piped).
    styled: bool = False


def format_error(err: Error) -> str:
    """``error[code]: message (hint: fix)`` on one line."""
    line = f"error[{err.code}]: {err.message}"
    if err.hint:
        line += f" (hint: {err.hint})"
    return terminal_safe(line, one_line=True)


def _envelope(command: str, outcome: Outcome | None, error: Error | None) -> dict[str, Any]:
    if error is not None:
        failed: dict[str, Any] = {"ok": False, "command": command, "error": error.to_dict()}
        if error.more:
            failed["problems"] = [e.to_dict() for e in [error, *error.more]]
        return failed
    assert outcome is not None
    body: dict[str, Any] = {
        "ok": outcome.exit_code == 0,
        "command": command,
        "result": outcome.result,
    }
    if outcome.errors:
        body["error"] = outcome.errors[0].to_dict()
        body["problems"] = [e.to_dict() for e in outcome.errors]
    return body


def _fail(command: str, as_json: bool, err: Error, *, debug: bool) -> NoReturn:
    if debug:
        traceback.print_exc()
    if as_json:
        click.echo(json.dumps(_envelope(command, None, err), indent=2))
    else:
        for problem in [err, *err.more]:
            echo(format_error(problem), err=True)
    sys.exit(err.exit_code)


def _interrupted() -> Error:
    err = Error("interrupted (Ctrl-C)", code="interrupted", hint="run the command again")
    err.exit_code = ExitCode.INTERRUPTED
    return err


def run_command(command: str, as_json: bool, body: Callable[[], Outcome]) -> None:
    """Run ``body`` and print its outcome; exit with the documented code."""
    debug = bool(click.get_current_context().find_root().meta.get("debug"))
    try:
        outcome = body()
    except Error as err:
        _fail(command, as_json, err, debug=debug)
    except KeyboardInterrupt:
        _fail(command, as_json, _interrupted(), debug=False)
    except Exception as exc:  # noqa: BLE001 - last resort: still one line, never a bare traceback
        if debug:
            traceback.print_exc()
        internal = Error(
            f"unexpected {type(exc).__name__}: {exc}",
            code="internal-error",
            hint="rerun with 'argent --debug ...' and report the traceback",
        )
        _fail(command, as_json, internal, debug=False)
    if as_json:
        click.echo(json.dumps(_envelope(command, outcome, None), indent=2))
    else:
        if outcome.text and outcome.styled:
            click.echo(outcome.text)
        elif outcome.text:
            echo(outcome.text)
        for problem in outcome.errors[:1]:
            echo(format_error(problem), err=True)
    if outcome.exit_code:
        sys.exit(outcome.exit_code)
