"""PyCQA bandit's checks for shell injection and unsafe deserialisation.

bandit is used as a library on the already decoded source of one file (it parses
the text itself; nothing is imported or run). Its ``# nosec`` comments are ignored:
an author must not be able to silence the scanner. Only the checks below run,
and only on files where our own pass saw a call they look at (bandit's visitor
costs several times a parse, so running it on every file would break the scan
time budget).

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


def bandit_findings(path: str, text: str) -> list[Finding]:
    """Findings of the selected bandit checks on one Python file's source.

    Raises:
        RecursionError: The file nests deeper than bandit's visitor can walk (the
            caller already reported it as scanner evasion).
    """
    tests, (node_visitor, meta_ast, metrics) = _engine()
    visitor = node_visitor.BanditNodeVisitor(
        _FNAME,
        io.BytesIO(text.encode()),
        meta_ast.BanditMetaAst(),
        tests,
        False,
        {},
        metrics.Metrics(),
    )
    visitor.process(text)
    lines = text.splitlines()
    out: list[Finding] = []
    for issue in visitor.tester.results:
        rule, fixed = _RULES.get(issue.test_id, ("", None))
        if not rule:
            continue
        line = int(issue.lineno or 0)
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
