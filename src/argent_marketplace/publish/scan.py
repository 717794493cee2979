"""Static analysis and permission audit: the interface, and a minimal rule set.

The scanner issue replaces :class:`MinimalScanner` with the full rule families;
the pipeline only depends on :class:`Scanner` and :func:`verdict`. Python is
parsed with ``ast`` and never imported or executed.

Minimal rules (so statuses are real from day one):

* ``dynamic-code`` (medium): ``exec``/``eval``/``compile``/``__import__`` on
  anything but a string literal;
* ``undeclared-capability`` (medium): network, subprocess or native-code modules
  imported without the matching manifest permission;
* ``unparsable-python`` (medium): a ``.py`` file that does not parse (fail closed).
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any, Protocol

__all__ = ["Finding", "MinimalScanner", "Scanner", "verdict"]

SEVERITIES = ("info", "low", "medium", "high", "critical")

_CAPABILITY_MODULES = {
    "network": {
        "socket",
        "http",
        "urllib",
        "requests",
        "httpx",
        "aiohttp",
        "urllib3",
        "ftplib",
        "smtplib",
        "websocket",
        "websockets",
    },
    "subprocess": {"subprocess", "pty", "pexpect"},
    "native": {"ctypes", "cffi"},
}
_DYNAMIC = {"exec", "eval", "compile", "__import__"}


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing the scanner saw."""

    rule: str
    severity: str
    file: str
    line: int
    message: str
    evidence: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON form, as stored per version and returned by publish."""
        return asdict(self)


class Scanner(Protocol):
    """Looks at a package's text files and its declared permissions."""

    def scan(self, files: Mapping[str, bytes], permissions: tuple[str, ...]) -> list[Finding]:
        """Findings for ``files`` (path -> content) given the declared ``permissions``."""


def verdict(findings: list[Finding]) -> str:
    """``flagged`` on any high/critical, ``pending_review`` on any medium, else ``published``."""
    severities = {f.severity for f in findings}
    if severities & {"high", "critical"}:
        return "flagged"
    if "medium" in severities:
        return "pending_review"
    return "published"


class MinimalScanner:
    """The starter rule set described in the module docstring."""

    def scan(self, files: Mapping[str, bytes], permissions: tuple[str, ...]) -> list[Finding]:
        """Scan every ``.py`` file."""
        findings: list[Finding] = []
        for path, data in sorted(files.items()):
            if path.endswith(".py"):
                findings.extend(self._python(path, data, permissions))
        return findings

    def _python(self, path: str, data: bytes, permissions: tuple[str, ...]) -> list[Finding]:
        try:
            tree = ast.parse(data, filename=path)
        except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
            line = getattr(exc, "lineno", 0) or 0
            message = "Python file does not parse; it cannot be reviewed automatically"
            return [Finding("unparsable-python", "medium", path, line, message)]
        out: list[Finding] = []
        reported: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = (
                    [a.name for a in node.names]
                    if isinstance(node, ast.Import)
                    else [node.module or ""]
                )
                for name in names:
                    top = name.split(".")[0]
                    for capability, modules in _CAPABILITY_MODULES.items():
                        if (
                            top in modules
                            and capability not in permissions
                            and (capability not in reported)
                        ):
                            reported.add(capability)
                            out.append(
                                Finding(
                                    "undeclared-capability",
                                    "medium",
                                    path,
                                    node.lineno,
                                    f"uses {capability} ('{name}') without declaring the "
                                    f"'{capability}' permission",
                                    name,
                                )
                            )
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in _DYNAMIC
                and not (
                    node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)
                )
            ):
                out.append(
                    Finding(
                        "dynamic-code",
                        "medium",
                        path,
                        node.lineno,
                        f"{node.func.id}() on a computed value",
                        node.func.id,
                    )
                )
        return out
