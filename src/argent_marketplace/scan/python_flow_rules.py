"""Call rules across one file: arguments flowing into the file's own helpers, effects
reached at import time through its functions, classes and decorators, and the
correlations (a socket plus a shell, a download written then run).
"""

from __future__ import annotations

import ast

from argent_marketplace.scan.patterns import UNKNOWN, credential_target
from argent_marketplace.scan.python_call_state import CallState
from argent_marketplace.scan.python_folding import bind_arguments
from argent_marketplace.scan.python_model import CallSite, Scope
from argent_marketplace.scan.python_shapes import (
    CONSTRUCTION,
    own_methods,
    runs_file,
    runs_shell,
    started_runner,
)
from argent_marketplace.scan.python_values import (
    BLOB,
    BYTES,
    CREDENTIAL,
    DECODED,
    ENV_DUMP,
    ENVIRON,
    NAMED_ENV,
    NETWORK,
    NOTHING,
    PKGDIR,
    Val,
)

__all__ = ["FlowRules"]


class FlowRules(CallState):
    """Flows, import-time reach and per-file correlations."""

    def _local_calls(self) -> None:
        """Arguments flowing into local functions whose parameters reach a sink."""
        for _ in range(3):  # helpers calling helpers: a few rounds reach a fixed point
            for site, func in self.local_calls:
                if not func.param_sinks:
                    continue
                args, kws = self.ev.args_of(site.node, site.scope)
                bound = bind_arguments(func, isinstance(site.node.func, ast.Attribute), args, kws)
                for label, kinds in list(func.param_sinks.items()):
                    arg = bound.get(label)
                    if arg is not None:
                        for kind in kinds:
                            self.param_sink([arg], site.scope, kind)
        for site, func in self.local_calls:
            if func.param_sinks:
                self._flows_into(site, func)

    def _flows_into(self, site: CallSite, func: Scope) -> None:
        args, kws = self.ev.args_of(site.node, site.scope)
        bound = bind_arguments(func, isinstance(site.node.func, ast.Attribute), args, kws)
        line = site.node.lineno
        for label, kinds in func.param_sinks.items():
            arg = bound.get(label)
            if arg is None:
                continue
            labels = arg.labels
            via = f"{func.name}()"
            if "network" in kinds and labels & {ENV_DUMP, ENVIRON}:
                self.add(
                    "exfiltration",
                    "critical",
                    line,
                    f"passes the whole environment to {via}, which sends it over the network",
                )
            if "network" in kinds:
                self.sent(line, labels)
            if "network" in kinds and CREDENTIAL in labels:
                self.sent_credentials = True
                self.add(
                    "exfiltration",
                    "critical",
                    line,
                    f"passes data read from a credential store to {via}, which sends it "
                    "over the network",
                )
            if "drop" in kinds:  # the helper writes downloaded data where the caller says
                self.drops.append((site.scope.sid, line, arg.partial()))
            if "read" in kinds:
                what = credential_target(arg.partial())
                if what:
                    self.r.credential_reads.append((line, what, False))
            if kinds & {"exec", "command", "deserialize"}:
                if NETWORK in labels:
                    self.add(
                        "download-and-execute",
                        "critical",
                        line,
                        f"passes downloaded data to {via}, which executes it",
                    )
                elif DECODED in labels:
                    self.add(
                        "obfuscation",
                        "critical",
                        line,
                        f"passes decoded data to {via}, which executes it",
                    )
                elif labels & {BLOB, BYTES} and "exec" in kinds:
                    self.add(
                        "obfuscation",
                        "high",
                        line,
                        f"passes an embedded blob to {via}, which executes it",
                    )

    def _import_time_calls(self) -> None:
        """Module-level calls of the file's own functions (directly, as a thread's or timer's
        target, or as a decorator) whose bodies have effects: they run at import too."""
        callees: dict[int, list[Scope]] = {}
        for site, func in self.local_calls:
            callees.setdefault(site.scope.sid, []).append(func)
        started: list[tuple[int, Scope]] = [
            (site.node.lineno, func) for site, func in self.local_calls if site.import_time
        ]
        for site in self.m.calls:
            if not site.import_time:
                continue
            runner = started_runner(site.node)
            for arg in [*runner.args, *(k.value for k in runner.keywords)] if runner else []:
                target = self._local_function(arg, site.scope)
                if target is not None:
                    started.append((site.node.lineno, target))
            if isinstance(site.node.func, ast.Name):  # _t = _Telemetry(): its __init__ runs
                cls = self._local_class(site.node.func.id, site.scope)
                started += [(site.node.lineno, m) for m in own_methods(cls, CONSTRUCTION)]
        for line, name, scope in self.m.import_decorators:
            target = self._local_function(ast.Name(id=name), scope)
            if target is not None:
                started.append((line, target))
        for line, name, scope in self.m.import_factories:
            factory = self._local_function(ast.Name(id=name), scope)
            if factory is None:
                continue
            for ret in factory.returns[:8]:
                applied = self._local_function(ret, factory)
                if applied is not None:
                    started.append((line, applied))
        for line, name, meta, scope in self.m.import_classes:
            cls = self._local_class(name, scope)
            hooks = ("__new__", "__init__") if meta else ("__init_subclass__",)
            started += [(line, m) for m in own_methods(cls, hooks)]
        reported: set[int] = set()
        for line, func in started:
            what = self._reached_effect(func, callees)
            if what and line not in reported:
                reported.add(line)
                self._side_effect(line, f"{what} through {func.name}()")

    def _reached_effect(self, func: Scope, callees: dict[int, list[Scope]]) -> str | None:
        todo, seen = [func], {func.sid}
        while todo and len(seen) < 64:
            scope = todo.pop()
            if scope.sid in self.effects:
                return self.effects[scope.sid]
            for callee in callees.get(scope.sid, ()):
                if callee.sid not in seen:
                    seen.add(callee.sid)
                    todo.append(callee)
        return None

    @staticmethod
    def _local_class(name: str, scope: Scope) -> Scope | None:
        bound = scope.bindings_of(name)
        if not bound:
            return None
        kind, payload, _ = bound[0]
        return payload if kind == "class" and isinstance(payload, Scope) else None

    def _local_function(self, node: ast.expr, scope: Scope) -> Scope | None:
        if not isinstance(node, ast.Name):
            return None
        found = self._terminal(node, scope)
        return found if isinstance(found, Scope) else None

    def _custom_commands(self, site: CallSite) -> None:
        """``setup(cmdclass={"install": PostInstall})``: a class of the package replaces a
        build or install step, so its code (wherever it calls) runs at install, as the
        same table in ``pyproject.toml`` does."""
        for keyword in site.node.keywords:
            value = keyword.value
            if keyword.arg is None:  # setup(**{"cmdclass": ...}), setup(**options)
                found = self._spread_cmdclass(value, site.scope)
                if found is None:
                    continue
                if found is value:  # **load_options(): a mapping the scanner cannot read
                    self.add(
                        "install-time-code",
                        "medium",
                        site.node.lineno,
                        "setup(**...) with options the scanner cannot read: they may name a"
                        " custom setuptools command (cmdclass)",
                    )
                    continue
                value = found
            elif keyword.arg != "cmdclass":
                continue
            if isinstance(value, ast.Dict) and all(
                v is not None and _stock_command(self.ev.ev(v, site.scope).qual)
                for v in value.values
            ):
                continue  # {} or setuptools' own command classes
            generated = isinstance(value, ast.Call) and (
                self.ev.ev(value.func, site.scope).qual or ""
            ).endswith("get_cmdclass")  # versioneer.get_cmdclass(): version stamping
            self.add(
                "install-time-code",
                "medium" if generated else "high",
                site.node.lineno,
                "setup(cmdclass=...): a custom setuptools command runs the package's code"
                " at install",
            )

    def _spread_cmdclass(self, spread: ast.expr, scope: Scope) -> ast.expr | None:
        """The ``cmdclass`` entry of a dict spread into ``setup()`` (a literal or ``dict(...)``,
        or a name bound to one); ``spread`` itself when the mapping cannot be read."""
        original = spread
        if isinstance(spread, ast.Name):
            bound = scope.bindings_of(spread.id)
            kinds = {kind for kind, _, _ in bound}
            if kinds == {"value"} and len(bound) == 1 and isinstance(bound[0][1], ast.expr):
                spread = bound[0][1]
        if (
            isinstance(spread, ast.Call)
            and isinstance(spread.func, ast.Name)
            and spread.func.id == "dict"
            and not spread.args
        ):  # dict(name=..., cmdclass=...)
            for keyword in spread.keywords:
                if keyword.arg is None or keyword.arg == "cmdclass":
                    return keyword.value
            return None
        if not isinstance(spread, ast.Dict):
            return original  # **load_options(): whatever it holds
        for key, value in zip(spread.keys, spread.values, strict=True):
            if key is None:
                return value  # {**more}: unknown
            if isinstance(key, ast.Constant) and key.value == "cmdclass":
                return value
        return None

    def _returned_environment(self) -> None:
        """What the file's module-level functions return and its module-level names hold,
        when another module may send it: the whole environment (copied, serialised or the
        mapping itself), or secret-named variables (``TOKEN = os.environ["GITHUB_TOKEN"]``)."""
        if not (self.m.env_dump_syntax or self.m.env_reads):
            return
        values: list[tuple[str, Val]] = [
            (scope.name, self.ev.returns_of(scope))
            for scope in self.m.all_scopes
            if scope.kind == "function" and scope.parent is self.m.module
        ]
        # module-level names too: SNAPSHOT = dict(os.environ), collect = lambda: ...,
        # collect = _snapshot (an alias)
        for name, bindings in list(self.m.module.bindings.items())[:256]:
            kind, payload, where = bindings[0]
            if kind != "value" or not isinstance(payload, ast.expr):
                continue
            if isinstance(payload, ast.Lambda):
                body = self.m.lambdas.get(id(payload))
                value = self.ev.ev(payload.body, body) if body is not None else NOTHING
            else:
                value = self.ev.ev(payload, where)
                if isinstance(value.func, Scope):
                    value = self.ev.returns_of(value.func)
            values.append((name, value))
        for name, value in values:
            if value.labels & {ENV_DUMP, ENVIRON} and name not in self.r.env_returns:
                self.r.env_returns.append(name)
            for label in sorted(value.labels)[:64]:
                if label.startswith(NAMED_ENV) and label[1:2] != "?":
                    self.r.secret_exports.append((name, label[1:]))

    def _foreign_path_edit(self) -> bool:
        """``sys.path`` given a folder that is not the connector's own (``__file__``-based)."""
        for node, scope in self.m.path_edits:
            args = node.args[1:] if node.func.attr == "insert" else node.args  # type: ignore[attr-defined]
            if args and PKGDIR not in self.ev.ev(args[0], scope).labels:
                return True
        return False

    def _package_helper(self, parent: ast.AST | None, scope: Scope) -> bool:
        """A call of a function imported from the package's own modules (``from .util
        import run``): the scanner does not follow it there, so what it gets counts."""
        if not (isinstance(parent, ast.Call) and isinstance(parent.func, ast.Name)):
            return False
        bound = scope.bindings_of(parent.func.id)
        return bool(bound) and bound[0][0] == "module" and str(bound[0][1]).startswith(".")

    def _file_correlations(self) -> None:
        if self.exec_memory and self.native_calls:
            self.add(
                "native-code",
                "critical",
                self.exec_memory[0],
                "maps executable memory and calls into it through ctypes (a shellcode loader)",
            )
        if self.sockets and (self.dup2 or self.shells):
            line = (self.dup2 or self.shells)[0]
            self.add(
                "reverse-shell",
                "critical",
                line,
                "a socket plus dup2/pty/a shell: gives a remote party a shell",
            )
        elif self.sockets and self.piped_shells:
            self.add(
                "reverse-shell",
                "critical",
                self.piped_shells[0],
                "a socket plus a shell reading its commands from a pipe: relays a remote"
                " party's commands to a shell",
            )
        elif (
            self.sockets
            and self.ptys
            and (any(runs_shell(text) for _, text in self.executes) or self.consoles)
        ):
            self.add(
                "reverse-shell",
                "critical",
                self.ptys[0],
                "a socket plus a shell on a pseudo-terminal (pty.fork): gives a remote party"
                " a shell",
            )
        elif self.shells:
            self.add("reverse-shell", "high", self.shells[0], "starts an interactive shell")
        for sid, line, path in self.drops:
            name = path.rsplit("/", 1)[-1].strip(UNKNOWN)
            runs = (
                any(s == sid for s, _ in self.chmods)
                or any(runs_file(s == sid, text, name) for s, text in self.executes)
                or bool(self.loaders)
                or self._foreign_path_edit()  # a downloaded zip put on sys.path, imported
                or (  # a downloaded archive unpacked, then a program from it made runnable
                    bool(self.extracts)
                    and (
                        bool(self.chmods)
                        or any(runs_file(True, text, "") for _, text in self.executes)
                    )
                )
            )
            if runs:
                self.add(
                    "download-and-execute",
                    "critical",
                    line,
                    "writes downloaded data to disk, then makes it executable, runs it or"
                    " loads it as code",
                )
        for line, qual in self.keyloggers[:1]:
            sends = "network" in self.caps
            self.add(
                "credential-harvesting",
                "high" if sends else "medium",
                line,
                f"{qual}() records every key typed in any program, passwords included"
                + (", in a file that uses the network" if sends else ""),
            )
        if self.clipboard_reads and self.clipboard_writes and self.m.wallet_patterns:
            self.add(
                "clipboard-hijack",
                "critical",
                self.clipboard_writes[0],
                "reads and rewrites the clipboard in a file that looks for crypto-wallet"
                " addresses: swaps the address a user copies for another (a clipper)",
            )
        if self.sent_credentials:
            self.r.credential_reads = [(ln, what, True) for ln, what, _ in self.r.credential_reads]


def _stock_command(qual: str | None) -> bool:
    """A command class of setuptools or distutils themselves (``build_py``), not the package's."""
    return bool(qual) and str(qual).startswith(("setuptools.", "distutils."))
