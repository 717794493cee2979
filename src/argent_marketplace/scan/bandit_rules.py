"""PyCQA bandit's checks for shell injection and unsafe deserialisation.

bandit is used as a library: its visitor and checks run on a tree our own pass
built from the file's parsed AST (its imports, and the calls these checks look at:
process starts, anything given ``shell=``, deserialisers, ``chmod``), so the file
is neither parsed twice nor walked whole a second time; nothing is imported or
run. Its ``# nosec`` comments are ignored: an author must not be able to silence
the scanner. Only the checks below run.

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


def bandit_findings(path: str, tree: ast.Module, text: str) -> list[Finding]:
    """Findings of the selected bandit checks on ``tree``, a view of file ``path``.

    Args:
        path: The file's path inside the package.
        tree: The file's imports and the calls to check (``python_rules._bandit_view``).
        text: The file's source, for the evidence lines.

    Raises:
        RecursionError: The file nests deeper than bandit's visitor can walk (the
            caller already reported it as scanner evasion).
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
    visitor.generic_visit(tree)
    lines = text.split("\n")
    out: list[Finding] = []
    seen: set[tuple[str, int, int]] = set()
    for issue in visitor.tester.results:
        rule, fixed = _RULES.get(issue.test_id, ("", None))
        line = int(issue.lineno or 0)
        # A call inside another checked call is visited twice (as itself and as an argument).
        key = (issue.test_id, line, int(issue.col_offset or 0))
        if not rule or key in seen:
            continue
        seen.add(key)
        source = lines[line - 1] if 0 < line <= len(lines) else ""
        severity = fixed or _SEVERITY.get(str(issue.severity), "low")
        out.append(
            Finding(
                rule,
                severity,
                path,
                line,
                f"{issue.text.rstrip('.')} (bandit {issue.test_id})",
                evidence_of(source),
            )
        )
    return out
