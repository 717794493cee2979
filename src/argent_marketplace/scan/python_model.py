"""One Python file as the rules see it: scopes, name bindings, calls.

:func:`build_model` walks the parsed tree once, iteratively (a deeply nested file
cannot exhaust the stack here), recording every name binding per scope, every
call with the scope it runs in and whether it runs at import time, imports, and
URL-like string constants. Nothing is imported or run. :mod:`.python_eval` then
computes values on demand from these bindings.

The analysis is flow-insensitive and deliberately approximate: a name bound twice
carries the labels of both bindings. That over-approximates where data can go,
which is the safe direction for a malware scanner.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from argent_marketplace.scan.patterns import AGENT_BYPASS
from argent_marketplace.scan.policy import Deadline

__all__ = ["CallSite", "PyModel", "Scope", "build_model"]

_ENVIRON_SAFE_USES = frozenset(
    {"get", "setdefault", "pop", "__getitem__", "__contains__", "update", "__setitem__"}
)


class Scope:
    """A module, class, function or lambda body, with the names it binds."""

    __slots__ = (
        "bindings",
        "cls",
        "is_method",
        "kind",
        "name",
        "param_names",
        "param_order",
        "param_sinks",
        "parent",
        "returns",
        "sid",
    )

    def __init__(
        self, sid: int, kind: str, name: str, parent: Scope | None, cls: Scope | None
    ) -> None:
        self.sid = sid
        self.kind = kind
        self.name = name
        self.parent = parent
        self.cls = cls
        self.is_method = False
        self.bindings: dict[str, list[tuple[str, object, Scope]]] = {}
        self.returns: list[ast.expr] = []
        self.param_order: list[str] = []
        self.param_names: dict[str, str] = {}
        self.param_sinks: dict[str, set[str]] = {}

    def bind(self, name: str, kind: str, payload: object, where: Scope) -> None:
        """Record one binding of ``name`` (flow-insensitive: all are kept)."""
        self.bindings.setdefault(name, []).append((kind, payload, where))

    def bindings_of(self, name: str) -> list[tuple[str, object, Scope]]:
        """The bindings ``name`` has where it is looked up from here (enclosing scopes
        outwards), or ``[]`` when no scope of the file binds it."""
        s: Scope | None = self
        while s is not None:
            if name in s.bindings:
                return s.bindings[name]
            s = s.parent
        return []

    def param_label(self, key: str | int) -> str:
        """The label a parameter's value carries inside this function."""
        return f"p{self.sid}:{key}"


class CallSite(NamedTuple):
    """A call, the scope it runs in, and whether it runs when the module is imported.

    A named tuple: one is made per call in the file, and a tuple is built in C.
    """

    node: ast.Call
    scope: Scope
    import_time: bool


@dataclass
class PyModel:
    """What one walk of a file records."""

    path: str
    lines: list[str]
    module: Scope
    calls: list[CallSite] = field(default_factory=list)
    imports: list[tuple[int, str]] = field(default_factory=list)
    import_nodes: list[ast.Import | ast.ImportFrom] = field(default_factory=list)
    urls: list[tuple[int, str]] = field(default_factory=list)
    commands: list[tuple[int, str, ast.AST | None, Scope]] = field(default_factory=list)
    encoded: list[tuple[int, str]] = field(default_factory=list)  # base64/hex-looking literals
    path_edits: list[tuple[ast.Call, Scope]] = field(default_factory=list)  # sys.path edits
    sink_refs: list[tuple[ast.expr, Scope]] = field(default_factory=list)  # exec as a value
    main_imports: list[int] = field(default_factory=list)  # lines importing a __main__
    class_bases: list[tuple[int, ast.expr, Scope]] = field(default_factory=list)
    encoded_chars: int = 0
    chr_joins: list[int] = field(default_factory=list)
    odd_identifiers: list[tuple[int, str]] = field(default_factory=list)
    # (line, name, scope): a decorator that is a plain name, applied when a def at import
    # time runs, so the decorator's own body runs then.
    import_decorators: list[tuple[int, str, Scope]] = field(default_factory=list)
    # @factory(...): what the factory returns is applied at import, so its body runs then
    import_factories: list[tuple[int, str, Scope]] = field(default_factory=list)
    # class X(Base, metaclass=M) at import: Base.__init_subclass__ and M run then
    import_classes: list[tuple[int, str, bool, Scope]] = field(default_factory=list)
    lambdas: dict[int, Scope] = field(default_factory=dict)
    all_scopes: list[Scope] = field(default_factory=list)
    env_dump_syntax: bool = False
    secret_hints: bool = False
    agent_bypass: list[int] = field(default_factory=list)  # lines: AI agents' no-prompt switches
    # ${{ toJSON(secrets) }}: (line, whether the literal itself reads as a workflow step)
    secrets_dumps: list[tuple[int, bool]] = field(default_factory=list)
    workflow_text: bool = False  # the file writes GitHub Actions workflows somewhere
    host_mounts: list[tuple[int, str]] = field(default_factory=list)  # pod specs: hostPath "/"
    wallet_patterns: list[int] = field(default_factory=list)  # lines: crypto-address regexes
    # imports from the connector's own modules (``from .util import f``): their results
    # are followed to the network, and matched across files by the package rules
    package_imports: bool = False
    env_reads: bool = False  # the file reads environment variables (by name or whole)
    own_roots: frozenset[str] = frozenset()
    scopes: int = 1

    def new_scope(self, kind: str, name: str, parent: Scope | None, cls: Scope | None) -> Scope:
        """A fresh scope with a file-unique id."""
        self.scopes += 1
        scope = Scope(self.scopes, kind, name, parent, cls)
        self.all_scopes.append(scope)
        return scope

    def release(self) -> None:
        """Break the scopes' reference cycles (a scope's bindings name the scope itself).

        Without this, every file's syntax tree stays alive until the cycle collector
        runs, which a scan pauses: a 500 KB package then left ~100,000 objects for
        one 30 ms collection after its scan.
        """
        for scope in [self.module, *self.all_scopes]:
            scope.bindings.clear()
            scope.returns.clear()
            scope.param_sinks.clear()
            scope.parent = scope.cls = None
        self.all_scopes.clear()
        self.lambdas.clear()
        self.calls.clear()

    def source(self, line: int) -> str:
        """The text of a 1-based line, or ''."""
        return self.lines[line - 1] if 0 < line <= len(self.lines) else ""


_Item = tuple[ast.AST, Scope, bool, ast.AST | None]
# Fragments without which no path or command in a file can name a secret store: when
# none appears, data the file sends cannot carry credentials it read (a fast path; reads
# themselves are always checked, including paths decoded at scan time).
SECRET_HINTS = (
    ".ssh", "id_rsa", "id_ed25519", "id_ecdsa", "id_dsa", ".aws", "argentos", "cookie",
    "login data", "keychain", "netrc", "pypirc", "git-credentials", "npmrc", ".kube",
    ".docker", "gnupg", "password-store", "wallet", "_history", "/etc/shadow", "find-generic",
    "find-internet", "secret-tool", ".env", "chrome", "chromium", "firefox", "mozilla",
    "bravesoftware", "microsoft/edge", "safari", "keymgr", "vaultcmd", "cmdkey", "electrum",
    "exodus", "metamask", "config/gh", "gcloud", ".azure", "bitcoin", "ethereum",
    # the environment by other doors: os.environb, getattr(os, "environ"), `env`, /proc
    "environb", "'environ'", '"environ"', "printenv", "'env'", '"env"', "/proc/",
    "safe storage", "get_credentials", "get_frozen_credentials", "discord", "local storage",
    "169.254", "metadata.google", "serviceaccount", "100.100.100.200",
)  # fmt: skip


# Callables that run code or commands: referring to one without calling it (passing it
# to map, partial, atexit, a class attribute) hides the call from review.
_SINK_NAMES = frozenset({"exec", "eval", "__import__", "execfile"})
_SINK_ATTRS = frozenset({"system", "popen", "execv", "execve", "execl", "execvp", "spawnv"})
_MESSAGE_CALLS = frozenset(
    {"print", "exit", "echo", "secho", "fail", "abort", "warn", "warning", "error", "info",
     "debug", "critical", "exception", "UsageError", "ClickException", "BadParameter"}
)  # fmt: skip


def hidden_call(parent: ast.AST | None) -> bool:
    """An argument of a call through something computed: ``f(x)(c)``, ``m["os"].system(c)``."""
    if not isinstance(parent, ast.Call):
        return False
    func = parent.func
    if isinstance(func, ast.Attribute):
        func = func.value
        while isinstance(func, ast.Attribute):
            func = func.value
    return not isinstance(func, ast.Name)


_NODE_PATHS = frozenset({"/", "/root", "/etc", "/var/run/docker.sock", "/run/containerd"})


def _host_mount(volume: ast.Dict) -> str | None:
    """``{"hostPath": {"path": "/"}}`` in a pod spec: the node's root (or its container
    runtime's socket) mounted into a container."""
    for key, value in zip(volume.keys, volume.values, strict=True):
        if not (isinstance(key, ast.Constant) and key.value == "hostPath"):
            continue
        if isinstance(value, ast.Dict):
            for k, v in zip(value.keys, value.values, strict=True):
                if (
                    isinstance(k, ast.Constant)
                    and k.value == "path"
                    and isinstance(v, ast.Constant)
                    and v.value in _NODE_PATHS
                ):
                    return str(v.value)
    return None


def _is_prose(parent: ast.AST | None) -> bool:
    """A constant that is text about something, not an argument for it: a docstring, a
    message, a help text, one side of a comparison (``"--x" in argv``)."""
    if isinstance(parent, ast.Expr | ast.Compare):
        return True
    if isinstance(parent, ast.keyword):
        return parent.arg in ("help", "description", "epilog", "message", "msg", "reason")
    return _is_message(parent)


def _is_message(parent: ast.AST | None) -> bool:
    """A constant given to print/exit/log/an exception: text for a person, not a command."""
    if not isinstance(parent, ast.Call):
        return False
    func = parent.func
    if isinstance(func, ast.Attribute):
        name = func.attr
    elif isinstance(func, ast.Name):
        name = func.id
    else:
        return False
    return name in _MESSAGE_CALLS or name.endswith(("Error", "Exception", "Warning"))


# GitHub Actions expressions that print every secret of a repository or organisation
_SECRETS_DUMP = re.compile(r"toJSON\(\s*secrets\s*\)", re.IGNORECASE)
_WORKFLOW_STEP = re.compile(r"\brun:|\bsteps:|\becho\b|\bcurl\b|\bwget\b|>>|\|")  # in a workflow
# Regular expressions for Bitcoin (base58 or bech32) and Ethereum addresses: what a
# clipboard hijacker looks for before swapping in its own.
_WALLET_ADDRESS = re.compile(
    r"0x\[(?:a-fA-F0-9|0-9a-fA-F|a-f0-9|0-9a-f|A-Fa-f0-9|0-9A-Fa-f)\]\{40\}|"
    r"bc1|\[13\]\[?a-km-zA-HJ-NP-Z1-9|a-km-zA-HJ-NP-Z1-9\]\{2[5-9]|HJ-NP-Z0-9\]\{2[5-9]"
)
_ENCODED_BUDGET = 8 << 20
_ENCODED = re.compile(r"[A-Za-z0-9+/_-]{38,}={0,2}")


def own_roots(path: str) -> frozenset[str]:
    """The folder names of ``path`` that can start an import of the package's own modules
    (``agent-harness/cli_aos/x/y.py``: ``cli_aos``, ``x``)."""
    return frozenset(part for part in path.split("/")[:-1] if part.isidentifier())


def has_secret_hints(text: str) -> bool:
    """Whether ``text`` mentions any secret store (substring scans: fast C loops)."""
    low = text.lower()
    return any(hint in low for hint in SECRET_HINTS)


# Fields that never hold code: Load/Store, Add, Eq... and identifiers, numbers, flags.
_LEAF_FIELDS = frozenset(
    {
        "ctx", "op", "ops", "arg", "asname", "attr", "conversion", "id", "is_async", "kind",
        "kwd_attrs", "level", "lineno", "module", "n", "name", "s", "simple", "tag",
        "type_comment",
    }
)  # fmt: skip


_FIELDS: dict[type, tuple[str, ...]] = {}
_NAME, _CONSTANT = ast.Name, ast.Constant


def _fields(node_type: type) -> tuple[str, ...]:
    fields = _FIELDS.get(node_type)
    if fields is None:
        fields = tuple(f for f in getattr(node_type, "_fields", ()) if f not in _LEAF_FIELDS)
        _FIELDS[node_type] = fields
    return fields


def _is_main_guard(test: ast.expr) -> bool:
    """``__name__ == "__main__"``, either way round, alone or as one term of an ``and``."""
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
        return any(_is_main_guard(v) for v in test.values)
    if not (
        isinstance(test, ast.Compare)
        and len(test.comparators) == 1
        and isinstance(test.ops[0], ast.Eq)
    ):
        return False
    sides = (test.left, test.comparators[0])
    return any(isinstance(s, ast.Name) and s.id == "__name__" for s in sides) and any(
        isinstance(s, ast.Constant) and s.value == "__main__" for s in sides
    )


def _bind_target(target: ast.expr, kind: str, value: ast.expr, scope: Scope) -> None:
    if isinstance(target, ast.Name):
        scope.bind(target.id, kind, value, scope)
    elif isinstance(target, ast.Tuple | ast.List):
        pair = (
            kind == "iter"
            and len(target.elts) == 2
            and isinstance(value, ast.Call)
            and isinstance(value.func, ast.Attribute)
            and value.func.attr == "items"
            and not value.args
        )
        if pair:  # for key, value in TABLE.items(): each side of a literal table
            assert isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute)
            for elt, side in zip(target.elts, ("key-of", "value-of"), strict=True):
                _bind_target(elt, side, value.func.value, scope)
            return
        for elt in target.elts:
            _bind_target(elt.value if isinstance(elt, ast.Starred) else elt, "part", value, scope)
    elif (
        isinstance(target, ast.Attribute)
        and isinstance(target.value, ast.Name)
        and target.value.id == "self"
        and scope.cls is not None
    ):
        scope.cls.bind("self." + target.attr, kind, value, scope)
    elif isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
        scope.bind(target.value.id, "item", value, scope)  # x[i] = v: v's labels join x's


class _Walker:
    """Step 1: one iterative walk recording what the evaluator and rules need."""

    def __init__(self, model: PyModel, deadline: Deadline) -> None:
        self.m = model
        self.deadline = deadline
        self.stack: list[_Item] = []
        name = model.path.rsplit("/", 1)[-1]
        self.test_file = "/tests/" in f"/{model.path}" or name.startswith("test_")

    def run(self, tree: ast.Module) -> None:
        # A package's __main__.py runs for ``python -m``, never on import: its body is
        # what a main guard holds elsewhere.
        entry_point = self.m.path.rsplit("/", 1)[-1] == "__main__.py"
        self._children(tree, self.m.module, not entry_point)
        count = 0
        while self.stack:
            node, scope, import_time, parent = self.stack.pop()
            count += 1
            if not count & 1023:
                self.deadline.check()
            handler = _HANDLERS.get(type(node))
            if handler is not None:
                handler(self, node, scope, import_time, parent)
            else:
                self._children(node, scope, import_time)

    def _children(self, node: ast.AST, scope: Scope, import_time: bool) -> None:
        """Push the children that can hold code (``ast.iter_child_nodes`` minus leaf fields).

        Leaves (names, constants: most nodes) are checked at once instead of pushed.
        The hottest loop of the scanner, hence exact type tests and no helper calls.
        """
        push = self.stack.append
        for name in _fields(type(node)):
            value: Any = getattr(node, name, None)
            for item in value if type(value) is list else (value,):
                kind = type(item)
                if kind is _NAME:
                    self._name(item, scope, import_time, node)
                elif kind is _CONSTANT:
                    self._constant(item, scope, import_time, node)
                elif isinstance(item, ast.AST):
                    push((item, scope, import_time, node))

    def _push(
        self, nodes: Sequence[ast.AST | None], scope: Scope, import_time: bool, parent: ast.AST
    ) -> None:
        for n in nodes:
            if n is not None:
                self.stack.append((n, scope, import_time, parent))

    def _params(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda, new: Scope
    ) -> None:
        a = node.args
        for i, arg in enumerate([*a.posonlyargs, *a.args]):
            label = new.param_label(i)
            new.param_order.append(label)
            new.param_names[arg.arg] = label
            new.bind(arg.arg, "param", label, new)
        for arg in a.kwonlyargs:
            label = new.param_label(arg.arg)
            new.param_names[arg.arg] = label
            new.bind(arg.arg, "param", label, new)
        for rest in (a.vararg, a.kwarg):
            if rest is not None:
                new.bind(rest.arg, "param", new.param_label("*"), new)

    def _function(
        self,
        node: ast.FunctionDef | ast.AsyncFunctionDef,
        scope: Scope,
        import_time: bool,
        parent: ast.AST | None,
    ) -> None:
        in_class = scope.kind == "class"
        lexical = scope.parent if in_class else scope
        new = self.m.new_scope("function", node.name, lexical, scope if in_class else scope.cls)
        new.is_method = in_class and not any(
            isinstance(d, ast.Name) and d.id == "staticmethod" for d in node.decorator_list
        )
        scope.bind(node.name, "def", new, scope)
        self._params(node, new)
        if import_time:
            self.m.import_decorators += [
                (d.lineno, d.id, scope) for d in node.decorator_list if isinstance(d, ast.Name)
            ]
            self.m.import_factories += [
                (d.lineno, d.func.id, scope)
                for d in node.decorator_list
                if isinstance(d, ast.Call) and isinstance(d.func, ast.Name)
            ]
        self._push(
            [*node.decorator_list, *node.args.defaults, *node.args.kw_defaults],
            scope,
            import_time,
            node,
        )
        self._push(node.body, new, False, node)

    def _lambda(
        self, node: ast.Lambda, scope: Scope, import_time: bool, parent: ast.AST | None
    ) -> None:
        new = self.m.new_scope("lambda", "<lambda>", scope, scope.cls)
        self.m.lambdas[id(node)] = new
        self._params(node, new)
        new.returns.append(node.body)
        self._push([*node.args.defaults, *node.args.kw_defaults], scope, import_time, node)
        self.stack.append((node.body, new, False, node))

    def _class(
        self, node: ast.ClassDef, scope: Scope, import_time: bool, parent: ast.AST | None
    ) -> None:
        new = self.m.new_scope("class", node.name, scope, None)
        scope.bind(node.name, "class", new, scope)
        self.m.class_bases += [(node.lineno, b, scope) for b in node.bases[:8]]
        if import_time:  # a base's __init_subclass__ and a metaclass run when this is defined
            hooks = [(b.id, False) for b in node.bases if isinstance(b, ast.Name)]
            hooks += [
                (k.value.id, True)
                for k in node.keywords
                if k.arg == "metaclass" and isinstance(k.value, ast.Name)
            ]
            self.m.import_classes += [(node.lineno, name, meta, scope) for name, meta in hooks]
        self._push([*node.bases, *node.keywords, *node.decorator_list], scope, import_time, node)
        self._push(node.body, new, import_time, node)

    def _if(self, node: ast.If, scope: Scope, import_time: bool, parent: ast.AST | None) -> None:
        self.stack.append((node.test, scope, import_time, node))
        self._push(node.body, scope, import_time and not _is_main_guard(node.test), node)
        self._push(node.orelse, scope, import_time, node)

    def _assign(
        self, node: ast.Assign, scope: Scope, import_time: bool, parent: ast.AST | None
    ) -> None:
        for target in node.targets:
            _bind_target(target, "value", node.value, scope)
        self._children(node, scope, import_time)

    def _ann_assign(
        self, node: ast.AnnAssign, scope: Scope, import_time: bool, parent: ast.AST | None
    ) -> None:
        if node.value is not None:
            _bind_target(node.target, "value", node.value, scope)
            self.stack.append((node.value, scope, import_time, node))

    def _aug_assign(
        self, node: ast.AugAssign, scope: Scope, import_time: bool, parent: ast.AST | None
    ) -> None:
        _bind_target(node.target, "merge", node.value, scope)
        self._children(node, scope, import_time)

    def _named(
        self, node: ast.NamedExpr, scope: Scope, import_time: bool, parent: ast.AST | None
    ) -> None:
        _bind_target(node.target, "value", node.value, scope)
        self._children(node, scope, import_time)

    def _for(
        self,
        node: ast.For | ast.AsyncFor | ast.comprehension,
        scope: Scope,
        import_time: bool,
        parent: ast.AST | None,
    ) -> None:
        _bind_target(node.target, "iter", node.iter, scope)
        self._children(node, scope, import_time)

    def _with(
        self,
        node: ast.With | ast.AsyncWith,
        scope: Scope,
        import_time: bool,
        parent: ast.AST | None,
    ) -> None:
        for item in node.items:
            if item.optional_vars is not None:
                _bind_target(item.optional_vars, "value", item.context_expr, scope)
        self._children(node, scope, import_time)

    def _import(
        self, node: ast.Import, scope: Scope, import_time: bool, parent: ast.AST | None
    ) -> None:
        self.m.import_nodes.append(node)
        for alias in node.names:
            self.m.imports.append((node.lineno, alias.name))
            if alias.name.split(".")[0] in self.m.own_roots:
                self.m.package_imports = True
            if alias.name.endswith(".__main__"):
                self.m.main_imports.append(node.lineno)
            if alias.asname:
                scope.bind(alias.asname, "module", alias.name, scope)
            else:
                top = alias.name.split(".")[0]
                scope.bind(top, "module", top, scope)

    def _import_from(
        self, node: ast.ImportFrom, scope: Scope, import_time: bool, parent: ast.AST | None
    ) -> None:
        self.m.import_nodes.append(node)
        base = "." * node.level + (node.module or "")
        if node.level or base.split(".")[0] in self.m.own_roots:
            self.m.package_imports = True
        for alias in node.names:
            full = f"{base}.{alias.name}" if base and not base.endswith(".") else base + alias.name
            self.m.imports.append((node.lineno, full))
            scope.bind(alias.asname or alias.name, "module", full, scope)
            if alias.name == "__main__" or full.endswith(".__main__"):
                self.m.main_imports.append(node.lineno)
            if full in ("os.environ", "os.environb", "posix.environ"):
                self.m.env_dump_syntax = True  # the name may be dumped under any alias

    def _return(
        self, node: ast.Return, scope: Scope, import_time: bool, parent: ast.AST | None
    ) -> None:
        if node.value is not None:
            scope.returns.append(node.value)
            self.stack.append((node.value, scope, import_time, node))

    def _call(
        self, node: ast.Call, scope: Scope, import_time: bool, parent: ast.AST | None
    ) -> None:
        self.m.calls.append(CallSite(node, scope, import_time))
        func = node.func
        if (
            isinstance(func, ast.Attribute)
            and func.attr in ("insert", "append", "extend")
            and isinstance(func.value, ast.Attribute)
            and func.value.attr == "path"
            and isinstance(func.value.value, ast.Name)
            and func.value.value.id == "sys"
        ):
            self.m.path_edits.append((node, scope))  # sys.path.insert(0, x): code from x
        if isinstance(func, ast.Name) and (
            (func.id == "chr" and isinstance(parent, ast.GeneratorExp | ast.ListComp))
            or (
                func.id == "map"
                and node.args
                and isinstance(node.args[0], ast.Name)
                and node.args[0].id == "chr"
            )
        ):
            self.m.chr_joins.append(node.lineno)
        self._children(node, scope, import_time)

    def _constant(
        self, node: ast.Constant, scope: Scope, import_time: bool, parent: ast.AST | None
    ) -> None:
        value = node.value
        if isinstance(value, bytes) and b"ecrets" in value:
            value = value.decode("latin-1")  # a workflow written as bytes: only this check
            if _SECRETS_DUMP.search(value):
                self.m.secrets_dumps.append((node.lineno, bool(_WORKFLOW_STEP.search(value))))
            return
        if not isinstance(value, str):
            return
        if "://" in value:
            self.m.urls.append((node.lineno, value))
        if (
            ("dangerously" in value or "trust-all" in value or "ypassPermissions" in value)
            and AGENT_BYPASS.search(value)
            and not _is_prose(parent)
            and not self.test_file
        ):
            self.m.agent_bypass.append(node.lineno)
        if value == "hostPath" and isinstance(parent, ast.Dict):
            mounted = _host_mount(parent)
            if mounted:
                self.m.host_mounts.append((node.lineno, mounted))
        if "ecrets" in value and _SECRETS_DUMP.search(value):
            self.m.secrets_dumps.append((node.lineno, bool(_WORKFLOW_STEP.search(value))))
        if ("{40}" in value or "{25," in value or "HJ-NP" in value) and _WALLET_ADDRESS.search(
            value
        ):
            self.m.wallet_patterns.append(node.lineno)
        if (
            len(value) >= 40
            and self.m.encoded_chars < _ENCODED_BUDGET
            and _ENCODED.fullmatch(value)
        ):  # a budget of characters, not of literals: decoys cannot push a payload out
            self.m.encoded.append((node.lineno, value))
            self.m.encoded_chars += len(value)
        if (
            len(value) > 11
            and (
                "curl" in value
                or "wget" in value
                or "/dev/" in value
                or "nc " in value
                or "CurrentVersion" in value
            )
            and not isinstance(parent, ast.Expr)  # a docstring's install hint
            and not _is_message(parent)  # sys.exit("install it: curl ... | sh")
        ):
            self.m.commands.append((node.lineno, value, parent, scope))

    def _environ_use(self, parent: ast.AST | None) -> None:
        if isinstance(parent, ast.Attribute) and parent.attr in _ENVIRON_SAFE_USES:
            return
        if isinstance(parent, ast.Subscript | ast.Compare):
            return
        if isinstance(parent, ast.keyword) and parent.arg == "env":
            return
        self.m.env_dump_syntax = True

    def _attribute(
        self, node: ast.Attribute, scope: Scope, import_time: bool, parent: ast.AST | None
    ) -> None:
        if node.attr == "environ":
            self._environ_use(parent)
        if not node.attr.isascii():
            self.m.odd_identifiers.append((node.lineno, node.attr))
        if node.attr in _SINK_ATTRS and not (isinstance(parent, ast.Call) and parent.func is node):
            self.m.sink_refs.append((node, scope))  # os.system handed on, not called
        self.stack.append((node.value, scope, import_time, node))

    def _name(
        self, node: ast.Name, scope: Scope, import_time: bool, parent: ast.AST | None
    ) -> None:
        if node.id == "environ":
            self._environ_use(parent)
        if not node.id.isascii():
            self.m.odd_identifiers.append((node.lineno, node.id))
        if node.id in _SINK_NAMES and not (isinstance(parent, ast.Call) and parent.func is node):
            self.m.sink_refs.append((node, scope))  # map(exec, ...), staticmethod(exec)


# Node type -> unbound handler. Class-level: bound methods kept on the instance would
# make a reference cycle holding the walker, its model and the file's whole tree.
_HANDLERS: dict[type, Callable[..., None]] = {
    ast.FunctionDef: _Walker._function,
    ast.AsyncFunctionDef: _Walker._function,
    ast.Lambda: _Walker._lambda,
    ast.ClassDef: _Walker._class,
    ast.If: _Walker._if,
    ast.Assign: _Walker._assign,
    ast.AnnAssign: _Walker._ann_assign,
    ast.AugAssign: _Walker._aug_assign,
    ast.NamedExpr: _Walker._named,
    ast.For: _Walker._for,
    ast.AsyncFor: _Walker._for,
    ast.comprehension: _Walker._for,
    ast.With: _Walker._with,
    ast.AsyncWith: _Walker._with,
    ast.Import: _Walker._import,
    ast.ImportFrom: _Walker._import_from,
    ast.Return: _Walker._return,
    ast.Call: _Walker._call,
    ast.Constant: _Walker._constant,
    ast.Attribute: _Walker._attribute,
    ast.Name: _Walker._name,
}


def build_model(
    path: str, tree: ast.Module, lines: list[str], deadline: Deadline, text: str = ""
) -> PyModel:
    """Walk ``tree`` once (step 1).

    Raises:
        BudgetExceeded: The package's time budget ran out mid-walk.
    """
    model = PyModel(path, lines, Scope(1, "module", "<module>", None, None))
    model.secret_hints = has_secret_hints(text)
    model.own_roots = own_roots(path)
    model.env_reads = "environ" in text or "getenv" in text
    model.workflow_text = any(k in text for k in ("runs-on", "steps:", ".github/workflows"))
    _Walker(model, deadline).run(tree)
    model.calls.sort(key=lambda c: (c.node.lineno, c.node.col_offset))
    return model
