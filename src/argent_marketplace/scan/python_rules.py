"""Rules for Python files: parsed with ``ast``, never imported or executed.

Per file, in order:

1. Source checks before parsing: strict UTF-8 and no foreign coding cookie
   (``non-utf8-source``), no packed line longer than the policy allows
   (``obfuscation``), not larger than the policy allows (``not-scanned``).
2. Parse; a syntax error is ``unparsable-python`` (medium: never published
   unreviewed), a parser or recursion blow-up is ``scanner-evasion`` (high).
3. Walk once (:mod:`.python_model`), then check every call the rules care about
   (:mod:`.python_calls`):
   dynamic code, obfuscation, download-and-execute, reverse shells, credential
   access, exfiltration, persistence, import- and install-time side effects,
   native code; and record the capabilities used for the permission audit.
4. Correlate inside the file: a socket plus ``dup2``/``pty``/a shell is a reverse
   shell; a download written to disk and then made executable or run is a dropper.

Package-level correlation (credentials read in a package that uses the network)
happens in :mod:`.scanner` from the facts returned here.
"""

from __future__ import annotations

import ast
import re

from argent_marketplace.scan.findings import Finding, evidence_of
from argent_marketplace.scan.policy import Deadline, Policy
from argent_marketplace.scan.python_calls import CallRules, PythonReport
from argent_marketplace.scan.python_model import build_model
from argent_marketplace.scan.python_shapes import LOOKS_LIKE_CODE

__all__ = ["PythonReport", "analyse_python"]

_COOKIE = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)", re.MULTILINE)
_UTF8_NAMES = frozenset({"utf-8", "utf8", "utf_8", "utf-8-sig", "u8"})
_ASCII_COMPATIBLE = frozenset({"ascii", "us-ascii", "latin-1", "latin1", "iso-8859-1", "iso8859-1"})


def _decode(path: str, data: bytes, report: PythonReport) -> str | None:
    """Step 1: UTF-8 only, and no coding cookie that changes how the text is read."""
    head = b"\n".join(data.split(b"\n", 2)[:2])
    cookie = _COOKIE.search(head)
    codec = cookie.group(1).decode("ascii", "replace").lower() if cookie else "utf-8"
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        report.findings.append(
            Finding(
                "non-utf8-source",
                "high",
                path,
                line,
                f"Python source is not UTF-8 (declares {codec}); it may read differently "
                "to Python than to a reviewer",
                "",
            )
        )
        return None
    if codec not in _UTF8_NAMES and not (codec in _ASCII_COMPATIBLE and text.isascii()):
        report.findings.append(
            Finding(
                "non-utf8-source",
                "high",
                path,
                1,
                f"declares the source encoding {codec!r}: Python decodes it differently "
                "from what a reviewer sees",
                evidence_of(text.split("\n", 2)[0]),
            )
        )
        return None
    return text


def _long_lines(lines: list[str], limit: int) -> list[tuple[int, int]]:
    """``(length, number)`` of every line over ``limit``, longest first (the first on ties;
    at most 64)."""
    found = [(len(line), n) for n, line in enumerate(lines, 1) if len(line) > limit]
    return sorted(found, key=lambda x: -x[0])[:64]


def _long_line_finding(
    path: str, lines: list[str], long: list[tuple[int, int]], tree: ast.Module | None
) -> Finding:
    """The longest line that is not a table of short literals: packed code (high). When
    every long line is such a table (known only once parsed), a low note of the longest."""
    packed = [(n_chars, n) for n_chars, n in long if tree is None or not _is_data_table(tree, n)]
    # every long line is checked: a long table cannot hide packed code
    n_chars, n = packed[0] if packed else long[0]
    message = (
        f"a line of {n_chars:,} characters: packed or minified code hides what it does"
        if packed
        else f"a line of {n_chars:,} characters holding a table of short literals (data, not code)"
    )
    severity = "high" if packed else "low"
    return Finding("obfuscation", severity, path, n, message, evidence_of(lines[n - 1][:200]))


_DATA_NODES = (ast.Tuple, ast.List, ast.Set, ast.Dict, ast.Constant, ast.UnaryOp, ast.USub)
_MAX_DATUM = 200


def _is_data_table(tree: ast.Module, line: int) -> bool:
    """Whether ``line`` lies in a module-level assignment of short literals only.

    Generated lookup tables (pygments' lexer maps, Unicode ranges) are written on one
    line; a container of short constants holds no code. One long string is not a table:
    it is what a packed payload looks like.
    """
    on_line = [s for s in tree.body if s.lineno <= line <= (s.end_lineno or s.lineno)]
    for stmt in on_line:  # every statement on the line: "T = [1]; os.system(...)" is code
        if not isinstance(stmt, ast.Assign | ast.AnnAssign) or stmt.value is None:
            return False
        if not isinstance(stmt.value, ast.Tuple | ast.List | ast.Set | ast.Dict):
            return False
        for node in ast.walk(stmt.value):
            if node is None or isinstance(node, ast.expr_context):
                continue
            if not isinstance(node, _DATA_NODES):
                return False
            if isinstance(node, ast.Constant) and (
                isinstance(node.value, str | bytes) and len(node.value) > _MAX_DATUM
            ):
                return False
        if _bytes_of_code(stmt.value):
            return False
    return bool(on_line)


def _bytes_of_code(value: ast.expr | None) -> bool:
    """A table of small integers that spells code as bytes (``exec(bytes(T).decode())``)."""
    if not isinstance(value, ast.List | ast.Tuple):
        return False
    codes: list[int] = []
    for e in value.elts[:65536]:
        if not (isinstance(e, ast.Constant) and type(e.value) is int and 0 <= e.value < 256):
            return False
        codes.append(e.value)
    return len(codes) >= 16 and bool(LOOKS_LIKE_CODE.search(bytes(codes).decode("latin-1")))


def _parse(path: str, text: str, report: PythonReport) -> ast.Module | None:
    """Step 2: parse, failing closed."""
    try:
        return ast.parse(text, filename=path)
    except SyntaxError as exc:
        message = str(exc.msg)
        if "too many nested" in message or "too complex" in message:
            report.findings.append(
                Finding(
                    "scanner-evasion",
                    "high",
                    path,
                    exc.lineno or 0,
                    f"nesting too deep to analyse ({message})",
                    "",
                )
            )
        else:
            report.findings.append(
                Finding(
                    "unparsable-python",
                    "medium",
                    path,
                    exc.lineno or 0,
                    f"Python file does not parse ({message}); it cannot be reviewed automatically",
                    evidence_of(exc.text or ""),
                )
            )
    except (RecursionError, MemoryError, ValueError) as exc:
        report.findings.append(
            Finding(
                "scanner-evasion",
                "high",
                path,
                0,
                f"the file defeats the parser ({type(exc).__name__}): nesting or size "
                "built to exhaust analysers",
                "",
            )
        )
    return None


def analyse_python(
    path: str, data: bytes, policy: Policy, deadline: Deadline, *, install_time: bool = False
) -> PythonReport:
    """All Python rules for one file (steps in the module docstring).

    Args:
        path: The file's path inside the package.
        data: Its bytes.
        policy: Size and line bounds.
        deadline: The package's time budget.
        install_time: ``setup.py``: everything in it runs when the package installs.

    Raises:
        BudgetExceeded: The time budget ran out.
    """
    report = PythonReport()
    text = _decode(path, data, report)
    if text is None:
        return report
    report.text = text
    lines = text.split("\n")
    long = _long_lines(lines, policy.max_line_length)
    if len(data) > policy.max_python_bytes:
        if long:
            report.findings.append(_long_line_finding(path, lines, long, None))
        report.findings.append(
            Finding(
                "not-scanned",
                "medium",
                path,
                0,
                f"{len(data):,} bytes of Python is over the {policy.max_python_bytes:,}-byte "
                "analysis limit; needs a human review",
                "",
            )
        )
        return report
    tree = _parse(path, text, report)
    if long:
        report.findings.append(_long_line_finding(path, lines, long, tree))
    if tree is None:
        return report
    report.parsed = True
    model = build_model(path, tree, lines, deadline, text)
    try:
        rules = CallRules(model, report, deadline, install_time)
        rules.run()
        if rules.bandit_calls:
            report.bandit_calls = list({id(c): c for c in rules.bandit_calls}.values())
            report.bandit_imports = model.import_nodes
    except RecursionError:
        report.findings.append(
            Finding(
                "scanner-evasion", "high", path, 0, "expressions nested too deep to analyse", ""
            )
        )
    finally:
        model.release()  # the tree is freed now, not at the next cycle collection
    return report
