"""Strict JSON for package control files.

Duplicate keys are refused (two parsers could keep different copies), as are
NaN/Infinity and numbers that overflow to them, a byte-order mark and anything
that is not UTF-8. The parsed tree is then walked once (without recursion):
nesting deeper than :data:`MAX_DEPTH` and strings holding lone surrogates
(``"\\ud800"`` escapes, which no UTF-8 consumer can store or print) are refused
too, so every later step may treat the document as plain, printable data.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from typing import Any, NoReturn

from argent_marketplace.package.errors import ManifestError

__all__ = ["MAX_DEPTH", "load_json_object"]

MAX_DEPTH = 64
"""Nesting levels a control file may use; real manifests use three."""

_MAX_INT_DIGITS = 30
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def _no_duplicates(filename: str) -> Callable[[list[tuple[str, Any]]], dict[str, Any]]:
    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out = dict(pairs)
        if len(out) == len(pairs):
            return out
        seen: set[str] = set()
        for key, _value in pairs:
            if key in seen:
                raise ManifestError(
                    f"{filename}: key '{key}' appears twice in one object",
                    code="duplicate-key",
                    hint="keep one copy of the key",
                    details={"file": filename, "field": key},
                )
            seen.add(key)
        return out  # pragma: no cover - a length mismatch always has a duplicate

    return hook


def _no_constants(name: str) -> NoReturn:
    raise ValueError(f"{name} is not valid JSON")


def _finite_float(text: str) -> float:
    """``1e999`` would parse as infinity, which JSON cannot express: refuse it."""
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"the number {text[:40]} is out of range")
    return value


def _bounded_int(text: str) -> int:
    """Refuse absurd integers before Python's own digit limit gives a confusing message."""
    if len(text.lstrip("-")) > _MAX_INT_DIGITS:
        raise ValueError(f"a number has {len(text.lstrip('-'))} digits, over {_MAX_INT_DIGITS}")
    return int(text)


def _invalid(filename: str, problem: str, hint: str, **details: object) -> ManifestError:
    return ManifestError(
        f"{filename}: {problem}",
        code="invalid-json",
        hint=hint,
        details={"file": filename, **details},
    )


def _parse(data: bytes, filename: str) -> object:
    try:
        text = data.decode("utf-8")
        return json.loads(
            text,
            object_pairs_hook=_no_duplicates(filename),
            parse_constant=_no_constants,
            parse_float=_finite_float,
            parse_int=_bounded_int,
        )
    except UnicodeDecodeError as exc:
        raise _invalid(filename, f"not UTF-8 (byte {exc.start})", "save the file as UTF-8") from exc
    except json.JSONDecodeError as exc:
        raise _invalid(
            filename,
            f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}",
            "fix the JSON syntax",
            line=exc.lineno,
            column=exc.colno,
        ) from exc
    except ValueError as exc:
        raise _invalid(filename, str(exc), "use ordinary numbers or strings") from exc
    except RecursionError as exc:
        raise _invalid(
            filename, "nested too deeply", f"keep nesting under {MAX_DEPTH} levels"
        ) from exc


def _lone_surrogate(text: str) -> int | None:
    """Index of the first lone surrogate in ``text``, or ``None`` (ASCII: no cost)."""
    if text.isascii():
        return None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        return exc.start
    return None


def _check_tree(doc: object, filename: str, *, strings: bool) -> None:
    """Depth and (when ``strings``) surrogates, iteratively: recursion would be its own bomb.

    Without ``strings`` only containers are visited, which keeps verification fast.
    """
    stack: list[tuple[object, str, int]] = [(doc, "", 0)]
    while stack:
        value, where, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise _invalid(
                filename,
                f"{where or 'the document'} is nested too deeply",
                f"keep nesting under {MAX_DEPTH} levels",
                field=where,
            )
        if isinstance(value, dict):
            for key, item in value.items():
                if strings:
                    _check_text(key, f"{where}.{key}" if where else key, filename)
                if strings or isinstance(item, (dict, list)):
                    stack.append((item, f"{where}.{key}" if where else key, depth + 1))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if strings or isinstance(item, (dict, list)):
                    stack.append((item, f"{where}[{i}]", depth + 1))
        elif isinstance(value, str):
            _check_text(value, where, filename)


def _check_text(text: str, field: str, filename: str) -> None:
    index = _lone_surrogate(text)
    if index is not None:
        shown = ascii(field)[1:-1] or "the document"
        raise _invalid(
            filename,
            f"{shown}: contains a lone surrogate ({ascii(text[index])[1:-1]}), which is not text",
            "remove the \\ud800-\\udfff escape; write characters as UTF-8",
            field=shown,
        )


def load_json_object(data: bytes, filename: str) -> dict[str, Any]:
    """Parse ``data`` as one JSON object.

    Raises:
        ManifestError: ``invalid-json`` (with line and column where JSON has them,
            or the field holding a lone surrogate) or ``duplicate-key``.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        raise _invalid(
            filename, "starts with a byte-order mark", "save the file as UTF-8 without BOM"
        )
    doc = _parse(data, filename)
    if not isinstance(doc, dict):
        raise _invalid(filename, "the top level must be a JSON object", "wrap the content in { }")
    # JSON text is UTF-8, so a lone surrogate can only come from a \uD800-\uDFFF escape,
    # and nesting cannot exceed the number of opening brackets: skip what cannot fail.
    strings = _SURROGATE_ESCAPE.search(data) is not None
    if strings or data.count(b"[") + data.count(b"{") > MAX_DEPTH:
        _check_tree(doc, filename, strings=strings)
    return doc
