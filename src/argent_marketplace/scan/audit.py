"""The permission audit: what the code does against what the manifest declares.

1. Capabilities used (inferred by the code rules, with file and line) against the
   manifest's ``permissions``: used but undeclared is ``undeclared-capability``
   (medium, once per file and capability, pointing at the first use); declared but
   never used is ``unused-permission`` (info: over-asking is not dangerous, but
   the author should know).
2. Every command of ``connector.json`` has a mode in ``permissions.json``
   (``agent-harness/permissions.json``, or beside ``connector.json``), every mode is
   one of ``readonly < write < full < admin``, and the two files agree. A
   command that writes (``action_class: write``) but runs in ``readonly`` mode is
   a mismatch too. Problems are medium: the runtime's gate depends on these modes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from argent_marketplace.package.manifest import COMMAND_MODES
from argent_marketplace.scan.findings import CapabilityUse, Finding

__all__ = ["capability_findings", "command_mode_findings"]

_PERMISSIONS_FILES = ("agent-harness/permissions.json", "permissions.json")
_MANIFEST = "argent.plugin.json"
_CONNECTOR = "connector.json"
_RANK = {mode: rank for rank, mode in enumerate(COMMAND_MODES)}


def _line_of(text: str, needle: str) -> int:
    index = text.find(needle)
    return text.count("\n", 0, index) + 1 if index >= 0 else 0


def capability_findings(
    uses: Iterable[CapabilityUse], permissions: Iterable[str], manifest_text: str
) -> list[Finding]:
    """Undeclared capabilities (medium) and unused permissions (info)."""
    declared = set(permissions)
    out: list[Finding] = []
    used: set[str] = set()
    for use in uses:
        used.add(use.capability)
        if use.capability not in declared:
            out.append(
                Finding(
                    "undeclared-capability",
                    "medium",
                    use.file,
                    use.line,
                    f"uses {use.capability} without declaring the '{use.capability}' permission",
                    use.evidence,
                )
            )
    for permission in sorted(declared - used):
        out.append(
            Finding(
                "unused-permission",
                "info",
                _MANIFEST,
                _line_of(manifest_text, f'"{permission}"'),
                f"declares '{permission}' but the code never uses it",
                permission,
            )
        )
    return out


def _json(files: Mapping[str, bytes], path: str) -> tuple[dict[str, Any], str] | None:
    data = files.get(path)
    if data is None:
        return None
    try:
        text = data.decode("utf-8")
        doc = json.loads(text)
    except (UnicodeDecodeError, ValueError):
        return None
    return (doc, text) if isinstance(doc, dict) else None


def command_mode_findings(files: Mapping[str, bytes]) -> list[Finding]:
    """``connector.json`` commands against ``permissions.json`` modes."""
    connector = _json(files, _CONNECTOR)
    if connector is None:
        return []
    commands = [c for c in connector[0].get("commands", []) if isinstance(c, dict)]
    if not commands:
        return []
    where = next((p for p in _PERMISSIONS_FILES if p in files), None)
    perms = _json(files, where) if where else None
    if where is None or perms is None:
        return [
            Finding(
                "command-mode-missing",
                "medium",
                where or _PERMISSIONS_FILES[0],
                0,
                "connector.json lists commands but there is no readable permissions.json "
                "giving each one a mode",
                "",
            )
        ]
    doc, text = perms
    modes = doc.get("permissions", {})
    modes = modes if isinstance(modes, dict) else {}
    out: list[Finding] = []
    for mode_name, mode in modes.items():
        if mode not in _RANK:
            out.append(
                Finding(
                    "invalid-command-mode",
                    "medium",
                    where,
                    _line_of(text, f'"{mode_name}"'),
                    f"{mode_name!r} has mode {mode!r}; modes are {' < '.join(COMMAND_MODES)}",
                    str(mode)[:80],
                )
            )
    for command in commands:
        cid = command.get("id")
        if not isinstance(cid, str):
            continue
        mode = modes.get(cid)
        if mode is None:
            out.append(
                Finding(
                    "command-mode-missing",
                    "medium",
                    where,
                    0,
                    f"command {cid!r} has no mode in permissions.json",
                    cid,
                )
            )
            continue
        required = command.get("required_mode")
        if mode in _RANK and required in _RANK and mode != required:
            out.append(
                Finding(
                    "command-mode-mismatch",
                    "medium",
                    where,
                    _line_of(text, f'"{cid}"'),
                    f"command {cid!r} is {required!r} in connector.json but {mode!r} in "
                    "permissions.json",
                    f"{cid}: {mode}",
                )
            )
        elif command.get("action_class") == "write" and mode == "readonly":
            out.append(
                Finding(
                    "command-mode-mismatch",
                    "medium",
                    where,
                    _line_of(text, f'"{cid}"'),
                    f"command {cid!r} writes (action_class 'write') but runs in 'readonly' mode",
                    f"{cid}: {mode}",
                )
            )
    return out
