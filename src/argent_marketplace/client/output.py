"""How every ``argent`` command speaks: one human shape, one JSON envelope.

Commands return a :class:`Outcome`; :func:`run_command` prints it, or turns an
:class:`~argent_marketplace.errors.Error` into one line (what, where, fix) on
stderr and the error's documented exit code. With ``--json`` both go to stdout
as ``{"ok": bool, "command": str, "result"|"error": ...}``.
"""

from __future__ import annotations

import json
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NoReturn

import click

from argent_marketplace.errors import Error, ExitCode

__all__ = ["Outcome", "format_error", "run_command"]


@dataclass
class Outcome:
    """A command's answer: data for ``--json``, text for people, and its exit code."""

    result: dict[str, Any]
    text: str
    exit_code: int = ExitCode.OK
    errors: list[Error] = field(default_factory=list)


def format_error(err: Error) -> str:
    """``error[code]: message (hint: fix)`` on one line."""
    line = f"error[{err.code}]: {err.message}"
    if err.hint:
        line += f" (hint: {err.hint})"
    return line


def _envelope(command: str, outcome: Outcome | None, error: Error | None) -> dict[str, Any]:
    if error is not None:
        return {"ok": False, "command": command, "error": error.to_dict()}
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
        click.echo(format_error(err), err=True)
    sys.exit(err.exit_code)


def run_command(command: str, as_json: bool, body: Callable[[], Outcome]) -> None:
    """Run ``body`` and print its outcome; exit with the documented code."""
    debug = bool(click.get_current_context().find_root().meta.get("debug"))
    try:
        outcome = body()
    except Error as err:
        _fail(command, as_json, err, debug=debug)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
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
        if outcome.text:
            click.echo(outcome.text)
        for problem in outcome.errors[:1]:
            click.echo(format_error(problem), err=True)
    if outcome.exit_code:
        sys.exit(outcome.exit_code)
