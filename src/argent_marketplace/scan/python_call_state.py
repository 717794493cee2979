"""What every family of call rules shares: the file's report, the facts gathered while
the calls are read (sockets, shells, drops...) and the plumbing that reports findings.

The rules themselves live by family: :mod:`.python_code_rules` (dynamic code and
obfuscation), :mod:`.python_process_rules` (processes, shells, native code),
:mod:`.python_io_rules` (network and files) and :mod:`.python_flow_rules` (what flows
into local helpers, what runs at import, the per-file correlations);
:mod:`.python_calls` dispatches each call to them.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from argent_marketplace.scan.findings import CapabilityUse, Finding, evidence_of
from argent_marketplace.scan.policy import Deadline
from argent_marketplace.scan.python_eval import Evaluator
from argent_marketplace.scan.python_model import CallSite, PyModel, Scope
from argent_marketplace.scan.python_shapes import SCRIPT_POSITION
from argent_marketplace.scan.python_values import NAMED_ENV, RETURNED, Val, union

__all__ = ["CallState", "PythonReport"]


@dataclass
class PythonReport:
    """Findings of one file plus the facts the package-level rules correlate."""

    findings: list[Finding] = field(default_factory=list)
    capabilities: list[CapabilityUse] = field(default_factory=list)
    credential_reads: list[tuple[int, str, bool]] = field(default_factory=list)
    env_escapes: list[int] = field(default_factory=list)
    bandit_calls: list[ast.Call] = field(default_factory=list)
    bandit_imports: list[ast.Import | ast.ImportFrom] = field(default_factory=list)
    quoted_shell: set[int] = field(default_factory=set)  # lines: shell=True, all shlex-quoted
    # (line, what it calls or "$NAME", evidence): results of the package's own functions
    # and secret-named environment variables sent over the network; and the file's
    # functions that return the whole environment
    sent_results: list[tuple[int, str, str]] = field(default_factory=list)
    env_returns: list[str] = field(default_factory=list)
    secret_exports: list[tuple[str, str]] = field(default_factory=list)  # (name, variable)
    platform_reads: list[tuple[int, str]] = field(default_factory=list)  # (line, what)
    parsed: bool = False
    text: str = ""


class CallState:
    """One file's call rules: state and plumbing (the families add the rules)."""

    def __init__(
        self, model: PyModel, report: PythonReport, deadline: Deadline, install_time: bool
    ) -> None:
        self.m = model
        self.r = report
        self.deadline = deadline
        self.install_time = install_time
        self.ev = Evaluator(model)
        self.caps: dict[str, CapabilityUse] = {}
        self.sockets: list[int] = []
        self.dup2: list[int] = []
        self.shells: list[int] = []
        self.drops: list[tuple[int, int, str]] = []
        self.executes: list[tuple[int, str]] = []
        self.chmods: list[tuple[int, str]] = []
        self.local_calls: list[tuple[CallSite, Scope]] = []
        self.sent_credentials = False
        self.stealer = False
        self.bandit_calls: list[ast.Call] = []
        self.exec_memory: list[int] = []
        self.native_calls: list[int] = []
        self.reported_imports: set[tuple[int, str]] = set()
        self.loaders: list[int] = []  # calls that load code from a file path
        self.urls_seen: set[str] = set()
        self.effects: dict[int, str] = {}  # function scope id -> an effect its body has
        self.ptys: list[int] = []  # pty.fork(): a terminal for a child process
        self.quote_memo: dict[int, bool] = {}
        self.piped_shells: list[int] = []
        self.consoles = False  # code.InteractiveConsole: a Python prompt
        self.quote_budget = 2000
        self.hidden_code: list[tuple[int, str]] = []  # decoded literals that read as code
        self.clipboard_writes: list[int] = []
        self.clipboard_reads: list[int] = []
        self.keyloggers: list[tuple[int, str]] = []
        self.extracts: list[int] = []  # archives unpacked (extractall, unpack_archive)

    def add(self, rule: str, severity: str, line: int, message: str) -> None:
        self.r.findings.append(
            Finding(rule, severity, self.m.path, line, message, evidence_of(self.m.source(line)))
        )

    def capability(self, name: str, line: int) -> None:
        if name not in self.caps:
            self.caps[name] = CapabilityUse(
                name, self.m.path, line, evidence_of(self.m.source(line))
            )

    def sent(self, line: int, labels: frozenset[str], host: str = "") -> None:
        """Remember which results of the package's own functions, and which secret-named
        variables (``$GITHUB_TOKEN>api.github.com``: with the host when known), go to the
        network here."""
        for label in labels:
            if label.startswith(RETURNED):
                ref = label[len(RETURNED) :] + (f">{host}" if host else "")
                self.r.sent_results.append((line, ref, evidence_of(self.m.source(line))))
            elif label.startswith(NAMED_ENV) and label[1:2] != "?":  # against declared keys
                ref = f"{label}>{host}" if host else label
                self.r.sent_results.append((line, ref, evidence_of(self.m.source(line))))

    def param_sink(self, vals: list[Val], scope: Scope, kind: str) -> None:
        """Remember that a parameter of the enclosing function reaches a sink of ``kind``."""
        for label in union(vals):
            if label.startswith("p"):
                sid, _, _key = label[1:].partition(":")
                owner = self._scope_by_sid(scope, int(sid)) if sid.isdigit() else None
                if owner is not None:
                    owner.param_sinks.setdefault(label, set()).add(kind)

    @staticmethod
    def _scope_by_sid(scope: Scope, sid: int) -> Scope | None:
        s: Scope | None = scope
        while s is not None:
            if s.sid == sid:
                return s
            s = s.parent
        return None

    def _terminal(self, func: ast.expr, scope: Scope, depth: int = 0) -> str | Scope | None:
        """The last name a call goes through, cheaply: ``requests.post`` -> ``post``.

        A local function is returned as its scope; ``None`` means "work it out" (a call
        through ``getattr(...)``, a subscript, an alias of something computed).
        """
        if isinstance(func, ast.Attribute):
            value = func.value
            if isinstance(value, ast.Name) and value.id in ("self", "cls") and scope.cls:
                bound = scope.cls.bindings.get(func.attr)
                if bound and bound[0][0] == "def" and isinstance(bound[0][1], Scope):
                    return bound[0][1]
            return func.attr
        if not isinstance(func, ast.Name) or depth > 3:
            return None
        bound = scope.bindings_of(func.id)
        if not bound:
            return func.id
        kind, payload, where = bound[0]
        if kind == "def" and isinstance(payload, Scope):
            return payload
        if kind == "module":
            return str(payload).rsplit(".", 1)[-1]
        if kind == "value" and isinstance(payload, ast.expr):
            return self._terminal(payload, where, depth + 1)
        return func.id

    def _quoted(self, expr: ast.expr, scope: Scope, depth: int) -> bool:
        """Whether a shell command string quotes every value put in it (``shlex.quote``).

        A quoted value in a script position (after ``-c``, ``eval``) is still a script.
        Memoised per node, with a budget: a file of f-strings naming each other must
        not make this quadratic.
        """
        key = id(expr)
        if key in self.quote_memo:
            return self.quote_memo[key]
        self.quote_budget -= 1
        if depth > 4 or self.quote_budget < 0:
            return False
        self.quote_memo[key] = False  # a name bound to itself is not quoted
        result = self._quoted_now(expr, scope, depth)
        self.quote_memo[key] = result
        return result

    def _quoted_now(self, expr: ast.expr, scope: Scope, depth: int) -> bool:
        if isinstance(expr, ast.Constant):
            return isinstance(expr.value, str)
        if isinstance(expr, ast.JoinedStr):
            before = ""
            for v in expr.values:
                if isinstance(v, ast.Constant):
                    before = str(v.value)
                    continue
                if not (
                    isinstance(v, ast.FormattedValue)
                    and v.format_spec is None
                    and not SCRIPT_POSITION.search(before)
                    and self._quoted(v.value, scope, depth + 1)
                ):
                    return False
                before = ""
            return True
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
            left = expr.left
            if (
                isinstance(left, ast.Constant)
                and isinstance(left.value, str)
                and SCRIPT_POSITION.search(left.value)
                and not isinstance(expr.right, ast.Constant)
            ):
                return False
            return self._quoted(left, scope, depth + 1) and self._quoted(
                expr.right, scope, depth + 1
            )
        if isinstance(expr, ast.Call):
            return self.ev.ev(expr.func, scope).qual in ("shlex.quote", "shlex.join")
        if isinstance(expr, ast.Name):
            bound = scope.bindings_of(expr.id)
            return bool(bound) and all(
                kind == "value"
                and isinstance(payload, ast.expr)
                and self._quoted(payload, where, depth + 1)
                for kind, payload, where in bound[:8]
            )
        return False

    def _effect(self, site: CallSite, what: str) -> None:
        """An effect: reported now at import or install time, else kept for its function."""
        if site.import_time or self.install_time:
            self._side_effect(site.node.lineno, what)
        else:
            self.effects.setdefault(site.scope.sid, what)

    def _side_effect(self, line: int, what: str) -> None:
        if self.install_time:
            self.add("install-time-code", "high", line, f"{what} when the package is installed")
        else:
            self.add(
                "import-time-side-effect", "high", line, f"{what} as soon as the module is imported"
            )
