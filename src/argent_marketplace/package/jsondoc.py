"""Strict JSON for package control files.

Duplicate keys are refused (two parsers could keep different copies), as are
NaN/Infinity, a byte-order mark and anything that is not UTF-8.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, NoReturn

from argent_marketplace.package.errors import ManifestError

__all__ = ["load_json_object"]


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


def load_json_object(data: bytes, filename: str) -> dict[str, Any]:
    """Parse ``data`` as one JSON object.

    Raises:
        ManifestError: ``invalid-json`` (with line and column) or ``duplicate-key``.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        raise ManifestError(
            f"{filename}: starts with a byte-order mark",
            code="invalid-json",
            hint="save the file as UTF-8 without BOM",
            details={"file": filename},
        )
    try:
        text = data.decode("utf-8")
        doc = json.loads(
            text, object_pairs_hook=_no_duplicates(filename), parse_constant=_no_constants
        )
    except UnicodeDecodeError as exc:
        raise ManifestError(
            f"{filename}: not UTF-8 (byte {exc.start})",
            code="invalid-json",
            hint="save the file as UTF-8",
            details={"file": filename},
        ) from exc
    except json.JSONDecodeError as exc:
        raise ManifestError(
            f"{filename}: invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}",
            code="invalid-json",
            hint="fix the JSON syntax",
            details={"file": filename, "line": exc.lineno, "column": exc.colno},
        ) from exc
    except ValueError as exc:
        raise ManifestError(
            f"{filename}: {exc}",
            code="invalid-json",
            hint="use numbers or strings",
            details={"file": filename},
        ) from exc
    if not isinstance(doc, dict):
        raise ManifestError(
            f"{filename}: the top level must be a JSON object",
            code="invalid-json",
            hint="wrap the content in { }",
            details={"file": filename},
        )
    return doc
