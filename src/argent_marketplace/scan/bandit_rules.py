"""PyCQA bandit's checks for shell injection and unsafe deserialisation.

bandit is used as a library: its visitor and checks run on nodes of the tree our
own pass already parsed and walked: every import of the file (bandit resolves
aliases from them) and each call these checks look at (process starts, anything
given ``shell=``, deserialisers, ``chmod``). The file is neither parsed nor
walked a second time, and nothing is imported or run. Its ``# nosec`` comments are
ignored: an author must not be able to silence the scanner. Only the checks below run.

=====  =======================  =========================================
test   our rule                 severity
=====  =======================  =========================================
B602   shell-injection          bandit's (high: shell=True on non-literal)
B604   shell-injection          bandit's
B605   shell-injection          bandit's (os.system/popen on non-literal)
B609   shell-injection          bandit's (wildcard injection)
B301   unsafe-deserialization   low (embedded payloads are ours: critical)
B302   unsafe-deserialization   low
B506   unsafe-deserialization   low (yaml.load)
B103   unsafe-permissions       low (world-writable chmod)
=====  =======================  =========================================
"""

from __future__ import annotations

import ast
import functools
import io
import logging
import warnings
from typing import Any

from argent_marketplace.scan.findings import Finding, evidence_of

__all__ = ["bandit_findings"]

_RULES: dict[str, tuple[str, str | None]] = {
    "B602": ("shell-injection", None),
    "B604": ("shell-injection", None),
    "B605": ("shell-injection", None),
    "B609": ("shell-injection", None),
    "B301": ("unsafe-deserialization", "low"),
    "B302": ("unsafe-deserialization", "low"),
    "B506": ("unsafe-deserialization", "low"),
    "B103": ("unsafe-permissions", "low"),
}
_SEVERITY = {"HIGH": "high", "MEDIUM": "medium", "LOW": "low", "UNDEFINED": "info"}
# bandit derives a module name from the path by looking for __init__.py on disk; a
# fixed, package-independent name keeps it from touching paths the package chose.
_FNAME = "scanned/module.py"


@functools.cache
def _engine() -> tuple[Any, Any]:
    """bandit's test set (built once) and its node visitor module."""
    # bandit's plugin loading warns through stevedore; the warning is theirs, not ours.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from bandit.core import (  # noqa: PLC0415 - slow plugin loading, first scan only
            config,
            meta_ast,
            metrics,
            node_visitor,
            test_set,
        )
    # bandit logs a warning per file it cannot place in a package; not our users' business.
    logging.getLogger("bandit").setLevel(logging.ERROR)
    profile = {"include": set(_RULES), "exclude": set()}
    tests = test_set.BanditTestSet(config.BanditConfig(), profile=profile)
    return tests, (node_visitor, meta_ast, metrics)


def bandit_findings(
    path: str,
    imports: list[ast.Import | ast.ImportFrom],
    calls: list[ast.Call],
    text: str,
    quoted: set[int] | frozenset[int] = frozenset(),
) -> list[Finding]:
    """Findings of the selected bandit checks on ``calls`` of file ``path``.

    Args:
        path: The file's path inside the package.
        imports: Every import statement of the file, in any scope.
        calls: The calls to check, each once (nested ones are listed on their own).
        text: The file's source, for the evidence lines.
        quoted: Lines whose ``shell=True`` command quotes every value with
            ``shlex.quote`` (as the shell documentation asks): ``low`` there.
    """
    tests, (node_visitor, meta_ast, metrics) = _engine()
    visitor = node_visitor.BanditNodeVisitor(
        _FNAME,
        io.BytesIO(b""),  # only bandit's whole-file checks read it; none of ours is one
        meta_ast.BanditMetaAst(),
        tests,
        False,
        {},
        metrics.Metrics(),
    )
    # bandit's own driver would walk every child of every node; its call checks read
    # the call node and its arguments directly, so the nodes alone are enough. Every
    # plain ``import X`` is kept (some checks ask whether a module was imported at all:
    # B506 wants ``import yaml`` even for ``from yaml import load``); of the ``from``
    # imports, only those binding a name a checked call starts from can change how
    # bandit names it (most of them are typing, dataclasses, click...).
    roots = {_root(call.func) for call in calls}
    wanted = [
        node
        for node in imports
        if isinstance(node, ast.Import)
        or node.module is None  # "from . import yaml": bandit counts it as a plain import
        or _binds(node) & roots
        or _binds(node) == {"*"}
    ]
    for node in [*wanted, *calls]:
        visitor.pre_visit(node)
        visitor.visit(node)
        visitor.post_visit(node)
    lines = text.split("\n")
    out: list[Finding] = []
    for issue in visitor.tester.results:
        rule, fixed = _RULES.get(issue.test_id, ("", None))
        if not rule:
            continue
        line = int(issue.lineno or 0)
        source = lines[line - 1] if 0 < line <= len(lines) else ""
        severity = fixed or _SEVERITY.get(str(issue.severity), "low")
        message = f"{issue.text.rstrip('.')} (bandit {issue.test_id})"
        if rule == "shell-injection" and line in quoted and severity in ("high", "medium"):
            severity = "low"
            message += "; every value in the command is quoted with shlex.quote"
        out.append(
            Finding(
                rule,
                severity,
                path,
                line,
                message,
                evidence_of(source),
            )
        )
    return out


def _root(func: ast.expr) -> str | None:
    """The name an attribute chain starts from: ``sp.Popen`` -> ``sp``."""
    while isinstance(func, ast.Attribute):
        func = func.value
    return func.id if isinstance(func, ast.Name) else None


def _binds(node: ast.Import | ast.ImportFrom) -> set[str]:
    """The names an import statement binds (``*`` for a star import)."""
    if isinstance(node, ast.Import):
        return {a.asname or a.name.split(".")[0] for a in node.names}
    return {a.asname or a.name for a in node.names}
