"""Per-call rules of one Python file: step 3 and 4 of :mod:`.python_rules`.

Every call the rules care about (matched cheaply by its last name first) is resolved
to what it is (``subprocess.run``, a local helper, ``exec`` reached through
``getattr``) and its arguments are evaluated (:mod:`.python_eval`): dynamic code,
obfuscation, download-and-execute, reverse shells, credential access, exfiltration,
persistence, import- and install-time side effects, native code; capabilities used are
recorded for the audit. Then, inside the file: arguments flowing into local helpers
whose parameters reach a sink, a socket plus ``dup2``/``pty``/a shell, a download
written to disk and then run.
"""

from __future__ import annotations

import ast
import dataclasses
import itertools
import re
from dataclasses import dataclass, field

from argent_marketplace.scan import python_api as api
from argent_marketplace.scan.findings import CapabilityUse, Finding, evidence_of
from argent_marketplace.scan.patterns import (
    UNKNOWN,
    credential_target,
    destination_kind,
    is_shortener,
    persistence_command,
    persistence_target,
    shell_threats,
    urls_in,
)
from argent_marketplace.scan.policy import Deadline
from argent_marketplace.scan.python_eval import Evaluator, bind_arguments
from argent_marketplace.scan.python_model import CallSite, PyModel, Scope
from argent_marketplace.scan.python_model import hidden_call as hidden_call_of
from argent_marketplace.scan.python_shapes import (
    CONSTRUCTION,
    DIR_MAKERS,
    LOOKS_LIKE_CODE,
    MAX_HIDDEN,
    NETWORK_TOOLS,
    PROCESS_HOOKS,
    SCRIPT_POSITION,
    assembly,
    decode_literal,
    executable_prot,
    executed_parts,
    literal_input,
    own_methods,
    past_wrappers,
    program_name,
    runs_file,
    runs_shell,
    script_flag,
    started_runner,
    terminal_name,
    unsafe_yaml_loader,
)
from argent_marketplace.scan.python_values import (
    ASSEMBLED,
    BLOB,
    BYTES,
    CODE,
    CREDENTIAL,
    DECODED,
    ENV_DUMP,
    ENVIRON,
    FILE,
    INDIRECT,
    NETWORK,
    NOTHING,
    PKGDIR,
    PKGFILE,
    WFILE,
    Val,
    decode_bytes,
    join_texts,
    location,
    union,
)
from argent_marketplace.scan.secrets import find_secrets

__all__ = ["CallRules", "PythonReport"]

_SENSITIVE_ROOTS = frozenset(
    [
        "builtins",
        "os",
        "posix",
        "nt",
        "subprocess",
        "sys",
        "importlib",
        "ctypes",
        "socket",
        "pty",
        "marshal",
        "pickle",
        "shutil",
        "base64",
        "codecs",
        "zlib",
        "runpy",
        "urllib",
        "requests",
        "http",
    ]
)
_SENSITIVE_MODULES = frozenset(
    [
        "os",
        "posix",
        "nt",
        "subprocess",
        "socket",
        "ctypes",
        "pty",
        "builtins",
        "marshal",
        "pickle",
        "base64",
        "zlib",
        "importlib",
        "sys",
        "shutil",
        "codecs",
        "runpy",
        "urllib.request",
        "requests",
        "http.client",
        "webbrowser",
    ]
)
_WRITE_METHODS = frozenset(
    {"write_text", "write_bytes", "touch", "mkdir", "symlink_to", "hardlink_to"}
)
_SECOND_ARG_TARGET = frozenset(
    {
        "os.rename",
        "os.renames",
        "os.replace",
        "os.symlink",
        "os.link",
        "shutil.copy",
        "shutil.copy2",
        "shutil.copyfile",
        "shutil.copytree",
        "shutil.move",
        "urllib.request.urlretrieve",
    }
)
_COPY_SOURCES = frozenset(
    {"shutil.copy", "shutil.copy2", "shutil.copyfile", "shutil.copytree", "shutil.make_archive"}
)
_EXEC_MEMORY = frozenset(
    {"mmap.mmap", "ctypes.windll.kernel32.VirtualAlloc", "ctypes.windll.kernel32.VirtualProtect"}
)
_MODULE_PATH = re.compile(r"[A-Za-z_]\w*\.|\.[A-Za-z_]\w*")
# The last names of the calls bandit's selected checks (bandit_rules) look at, besides
# process starts: B301/B302 (pickle, dill, shelve, jsonpickle, pandas, marshal), B506
# (yaml.load), B103 (chmod). A test keeps this in step with bandit's own lists.
BANDIT_TERMINALS = frozenset(
    {"load", "loads", "Unpickler", "open", "DbfilenameShelf", "decode", "read_pickle", "chmod"}
)
_INTERESTING = frozenset(
    {
        name.rsplit(".", 1)[-1]
        for group in (
            api.EXEC_CALLS, api.IMPORT_CALLS, api.DESERIALIZERS, api.COMMAND_CALLS,
            api.NETWORK_ACTIVE, api.NETWORK_SOURCES, api.FILE_WRITE_CALLS, api.FILE_READ_CALLS,
            api.NATIVE_MEMORY_CALLS, api.NETWORK_METHODS,
        )
        for name in group
    }
    | {"getattr", "open", "dup2", "socket", "fromfd", "mmap", "CFUNCTYPE", "WINFUNCTYPE", "cast",
       "VirtualAlloc", "VirtualProtect", "write", "writelines", "read_text", "read_bytes", "glob",
       "rglob", "iterdir", "rename", "replace", "chmod", "memmove", "runsource", "runcode", "read",
       "add", "fork", "forkpty", "methodcaller", "attrgetter", "load", "InteractiveConsole",
       "interact", "InteractiveInterpreter", "addaudithook", "settrace", "setprofile",
       "exec_module", *(name.rsplit(".", 1)[-1] for name in api.DECODERS | api.CODE_LOADERS)}
    | _WRITE_METHODS
)  # fmt: skip
_HANDED_ON = frozenset(
    {"builtins.exec", "builtins.eval", "builtins.__import__", "builtins.execfile", "os.system",
     "os.popen", "os.execv", "os.execve", "os.execl", "os.execvp", "os.spawnv", "posix.system"}
)  # fmt: skip
_CODE_METHODS = frozenset({"runsource", "runcode", "exec_module"})
_CODE_FILE = re.compile(r"\.(?:py|pyw|pyc|so|dylib|dll|pyd|egg|whl)$")  # .pth: persistence
_EXEC_BITS = re.compile(r"S_IX|S_IEXEC|0o[0-7]*[1357][0-7]{0,2}$")


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
    parsed: bool = False
    text: str = ""


class CallRules:
    """Step 3 and 4 for one file."""

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

    # -- plumbing ----------------------------------------------------------------------
    def add(self, rule: str, severity: str, line: int, message: str) -> None:
        self.r.findings.append(
            Finding(rule, severity, self.m.path, line, message, evidence_of(self.m.source(line)))
        )

    def capability(self, name: str, line: int) -> None:
        if name not in self.caps:
            self.caps[name] = CapabilityUse(
                name, self.m.path, line, evidence_of(self.m.source(line))
            )

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

    def run(self) -> None:
        self._imports()
        evaluate_all = self.m.env_dump_syntax
        for n, site in enumerate(self.m.calls):
            if not n & 255:
                self.deadline.check()
            self._call(site)
            if evaluate_all:
                self.ev.ev(site.node, site.scope)
        self._local_calls()
        self._import_time_calls()
        self._consoles()
        self._file_correlations()
        self._main_imports()
        self._sink_refs()
        self._assembled_secrets()
        self._encoded_literals()
        self._hidden_code()
        self._constants()
        if self.ev.too_deep:
            self.add("scanner-evasion", "high", 0, "expressions nested too deep to analyse")
        self.r.capabilities = list(self.caps.values())
        self.r.env_escapes = sorted(set(self.ev.escapes))

    # -- imports and constants ------------------------------------------------------------
    def _imports(self) -> None:
        for line, module in self.m.imports:
            cap = api.capability_of_module(module)
            if cap:
                self.capability(cap, line)
            if module.split(".")[0] in api.STEALER_MODULES:
                self.stealer = True
                self.r.credential_reads.append(
                    (line, f"browser cookies or saved passwords ({module})", False)
                )

    def _constants(self) -> None:
        flagged = {f.line for f in self.r.findings if f.severity in ("high", "critical")}
        for line, value, parent, where in self.m.commands:
            hidden_call = hidden_call_of(parent) or self._package_helper(parent, where)
            what = persistence_target(value) if "urrent" in value else None
            if what and line not in flagged:
                flagged.add(line)
                self.add("persistence", "high", line, f"names {what}, which runs by itself")
            for rule, severity, message, _ in shell_threats(value):
                if line not in flagged and rule != "runtime-install":
                    flagged.add(line)
                    # Handed straight to a call the scanner cannot name (attrgetter(...)(os)):
                    # as run. Elsewhere (a help text, a cloud-init for a remote machine) it is
                    # noted; run through a sink the scanner knows, the command rule judges it.
                    self.add(
                        rule,
                        severity if hidden_call else "low",
                        line,
                        f"{message} (a command line in the code)",
                    )
        for line, value in self.m.urls:
            self._destinations(line, value)
        for line in sorted(set(self.m.chr_joins))[:3]:
            self.add("obfuscation", "medium", line, "builds a string from chr() codes")
        if self.m.odd_identifiers:
            line, name = self.m.odd_identifiers[0]
            self.add(
                "confusable-identifier",
                "medium",
                line,
                f"non-ASCII identifier {name!r} can pass for another name in review",
            )

    # -- calls -------------------------------------------------------------------------
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

    def _call(self, site: CallSite) -> None:
        node, scope = site.node, site.scope
        if any(k.arg == "shell" for k in node.keywords):
            self.bandit_calls.append(node)  # bandit's B604: any function given shell=
            command = node.args[0] if node.args else None
            if command is not None and self._quoted(command, scope, 0):
                self.r.quoted_shell.add(node.lineno)
        terminal = self._terminal(node.func, scope)
        if isinstance(terminal, str) and terminal in BANDIT_TERMINALS:
            self.bandit_calls.append(node)  # bandit resolves the full name itself
        if isinstance(terminal, Scope):
            self.local_calls.append((site, terminal))
            return
        if terminal is not None and terminal not in _INTERESTING:
            return  # most calls (dict.get, str.join, click.echo...) reach no sink
        fv = self.ev.ev(node.func, scope)
        if isinstance(fv.func, Scope):
            self.local_calls.append((site, fv.func))
            return
        qual = fv.qual
        method = node.func.attr if isinstance(node.func, ast.Attribute) else None
        if qual is not None:
            self._qualified(site, qual, fv)
        elif method is not None:
            self._method(site, method)

    def _qualified(self, site: CallSite, qual: str, fv: Val) -> None:
        node, scope, line = site.node, site.scope, site.node.lineno
        if INDIRECT in fv.labels and (
            qual in api.EXEC_CALLS or qual in api.COMMAND_CALLS or qual in api.IMPORT_CALLS
        ):
            self.add(
                "obfuscation",
                "high",
                line,
                f"calls {qual.removeprefix('builtins.')} through an indirect reference "
                "(getattr or a namespace lookup) to hide it from review",
            )
        if qual in api.CODE_LOADERS:
            self.loaders.append(line)
        if qual in ("operator.methodcaller", "operator.attrgetter") and node.args:
            self._operator_getter(site, qual)
        if qual in PROCESS_HOOKS:
            self.add(
                "dynamic-code",
                PROCESS_HOOKS[qual],
                line,
                f"{qual}() installs a hook that sees every operation (or line) of the agent's"
                " process: a connector has no use for one",
            )
        if qual in api.DECODERS:
            self._decoder(site)
        if qual in api.EXEC_CALLS:
            self._exec(site, qual)
        elif qual in api.IMPORT_CALLS:
            self._import_call(site, qual)
        elif qual == "builtins.getattr":
            self._getattr(site)
        elif qual in api.DESERIALIZERS or (
            qual in ("yaml.load", "yaml.load_all") and self._unsafe_yaml(site)
        ):
            self.bandit_calls.append(node)
            self._deserialize(site, qual)
        if qual in api.COMMAND_CALLS:
            self._command(site, qual)
        elif qual in ("ctypes.CDLL().system", "ctypes.CDLL().popen"):
            self._command(site, "os.system")  # CDLL("libc.so.6").system(cmd): a shell
        if qual in api.NETWORK_ACTIVE or (
            qual in api.NETWORK_SOURCES and (node.args or node.keywords)
        ):
            self._network(site, qual)
        if qual in ("builtins.open", "io.open", "codecs.open"):
            self._open(site)
        elif qual in api.FILE_WRITE_CALLS:
            self._write_call(site, qual)
        if qual in api.FILE_READ_CALLS or qual in _COPY_SOURCES:
            args, kws = self.ev.args_of(node, scope)
            if qual == "shutil.make_archive":  # (base_name, format, root_dir, base_dir)
                top = args[2] if len(args) > 2 else kws.get("root_dir", NOTHING)
                base = args[3] if len(args) > 3 else kws.get("base_dir", NOTHING)
                self._read(line, Val(top.partial() + "/" + base.partial()))
            else:
                self._read(line, args[0] if args else NOTHING)
                self.param_sink(args[:1], scope, "read")
        self._shell_parts(site, qual)

    def _shell_parts(self, site: CallSite, qual: str) -> None:
        """The pieces of shells and shellcode loaders, correlated per file later."""
        node, line = site.node, site.node.lineno
        root = qual.split(".", maxsplit=1)[0]
        if root in ("ctypes", "cffi", "_ctypes") or qual in api.NATIVE_MEMORY_CALLS:
            self._native(site, qual)
        if qual == "os.dup2":
            self.dup2.append(line)
        if qual in _EXEC_MEMORY and ("EXEC" in ast.unparse(node).upper() or executable_prot(node)):
            self.exec_memory.append(line)
        if qual in ("pty.fork", "os.forkpty"):
            self.ptys.append(line)
        if qual in ("ctypes.CFUNCTYPE", "ctypes.cast", "ctypes.WINFUNCTYPE"):
            self.native_calls.append(line)
        if qual in ("socket.socket", "socket.create_connection", "socket.fromfd"):
            self.sockets.append(line)
            self.capability("network", line)

    def _method_sink(self, site: CallSite, method: str) -> bool:
        """Sinks known by a method name alone, whatever the object: ``True`` when handled."""
        if method in _CODE_METHODS:
            if method == "exec_module":
                self.loaders.append(site.node.lineno)
            else:  # code.InteractiveInterpreter().runsource(src): exec by another name
                self._exec(site, method)
            return True
        return False

    def _method(self, site: CallSite, method: str) -> None:
        node, scope, line = site.node, site.scope, site.node.lineno
        if self._method_sink(site, method):
            return
        if not (
            method in api.NETWORK_METHODS
            or method in _WRITE_METHODS
            or method
            in (
                "write",
                "writelines",
                "open",
                "read_text",
                "read_bytes",
                "glob",
                "rglob",
                "iterdir",
                "rename",
                "replace",
                "chmod",
                "read",
                "add",
            )
        ):
            return
        assert isinstance(node.func, ast.Attribute)
        receiver = self.ev.ev(node.func.value, scope)
        if method in api.NETWORK_METHODS and NETWORK in receiver.labels:
            self._network(site, method, receiver)
            if method in ("connect", "connect_ex"):
                self.sockets.append(line)
        elif method in _WRITE_METHODS or method in ("rename", "replace"):
            if method in ("rename", "replace") and len(node.args) + len(node.keywords) != 1:
                return  # str.replace(old, new): Path.rename/replace take one target
            if receiver.text is not None or receiver.labels:
                args, _ = self.ev.args_of(node, scope)
                target = args[0] if method in ("rename", "replace") and args else receiver
                data = args if method in ("write_text", "write_bytes") else []
                self._write(site, target, data)
        elif method == "write" and FILE in receiver.labels and node.args:
            # ZipFile.write(path): the path is read into the archive
            path = self.ev.ev(node.args[0], scope)
            if path.text is not None:
                self._read(line, path)
        elif method in ("write", "writelines") and WFILE in receiver.labels:
            args, _ = self.ev.args_of(node, scope)
            if NETWORK in union(args):
                self.drops.append((scope.sid, line, receiver.partial()))
            self._code_drop(line, receiver.partial(), union(args))
            self.param_sink(args, scope, "file")
        elif method == "open" and receiver.text is not None:
            opened = self.ev.ev(node, scope)
            if WFILE in opened.labels:
                self._write(site, receiver, [])
            else:
                self._read(line, receiver)
        elif method in ("glob", "rglob"):
            args, _ = self.ev.args_of(node, scope)
            pattern = args[0].partial() if args else "*"
            joint = "/**/" if method == "rglob" else "/"
            self._read(line, Val(receiver.partial() + joint + pattern))
        elif method in ("read_text", "read_bytes", "iterdir"):
            self._read(line, receiver)
        elif method in ("read", "add") and node.args:
            # ConfigParser.read(path), TarFile.add(path): a path given to be read (add only
            # on an archive: SKIP.add(".ssh") names a folder, it reads nothing)
            if method == "add" and not receiver.labels & {FILE, WFILE}:
                return
            path = self.ev.ev(node.args[0], scope)
            if path.text is not None:
                self._read(line, path)
        elif method == "chmod":
            self._chmod(site, receiver, node.args[0] if node.args else None)

    # -- dynamic code and obfuscation -------------------------------------------------
    def _exec(self, site: CallSite, qual: str) -> None:
        node, scope, line = site.node, site.scope, site.node.lineno
        args, kws = self.ev.args_of(node, scope)
        value = args[0] if args else kws.get("source", kws.get("object", NOTHING))
        name = qual.rsplit(".", maxsplit=1)[-1] + "()"
        labels = value.labels
        self.param_sink([value], scope, "exec")
        if NETWORK in labels:
            self.add(
                "download-and-execute",
                "critical",
                line,
                f"{name} runs code downloaded from the network",
            )
        elif DECODED in labels:
            self.add(
                "obfuscation",
                "critical",
                line,
                f"{name} runs decoded data (base64, hex, zlib, chr codes...): a hidden payload",
            )
        elif labels & {ASSEMBLED, BLOB, BYTES}:
            self.add("obfuscation", "high", line, f"{name} runs a string assembled from pieces")
        elif value.exact:
            return
        elif CODE in labels and name in ("exec()", "eval()"):
            self.add("dynamic-code", "high", line, f"{name} on a code object built at run time")
        elif PKGFILE in labels:
            self.add(
                "dynamic-code",
                "high",
                line,
                f"{name} runs code kept in a data file of the package, out of review's sight",
            )
        elif FILE in labels:
            self.add("dynamic-code", "medium", line, f"{name} runs the contents of a file")
        else:
            self.add("dynamic-code", "medium", line, f"{name} on a computed value")

    def _unsafe_yaml(self, site: CallSite) -> bool:
        """``yaml.load(data, Loader=yaml.Loader)`` (or positional, or an imported alias)."""
        node = site.node
        loader = next((k.value for k in node.keywords if k.arg == "Loader"), None)
        if loader is None and len(node.args) > 1:
            loader = node.args[1]
        return loader is not None and unsafe_yaml_loader(self.ev.ev(loader, site.scope).qual)

    def _operator_getter(self, site: CallSite, qual: str) -> None:
        """``operator.methodcaller("system", cmd)(os)``: getattr by another name."""
        name = self.ev.ev(site.node.args[0], site.scope)
        if name.exact and (name.text or "").rsplit(".", 1)[-1] in api.DANGEROUS_ATTRS:
            self.add(
                "obfuscation",
                "high",
                site.node.lineno,
                f"reaches {name.text!r} through {qual}: an indirect call hidden from review",
            )

    def _decoder(self, site: CallSite) -> None:
        """A literal decoded at run time whose plain text is code: a payload kept hidden."""
        raw = self._decoded_bytes(site.node, site.scope, 0)
        if raw is not None and len(raw) >= 12:
            self._note_hidden(site.node.lineno, raw[:MAX_HIDDEN].decode("utf-8", "replace"))

    def _note_hidden(self, line: int, text: str) -> bool:
        """Remember decoded ``text`` that reads as code (reported once per line, later)."""
        if not LOOKS_LIKE_CODE.search(text):
            return False
        self.hidden_code.append((line, " ".join(text.split())[:60]))
        return True

    def _decoded_bytes(self, node: ast.expr, scope: Scope, depth: int) -> bytes | None:
        """The bytes a chain of decoders makes of a literal (bounded), or ``None``."""
        if depth > 4:
            return None
        if isinstance(node, ast.Constant) and isinstance(node.value, str | bytes):
            value = node.value
            return value.encode("latin-1", "replace") if isinstance(value, str) else value
        if not (isinstance(node, ast.Call) and node.args):
            val = self.ev.ev(node, scope)
            if val.exact and val.text is not None and len(val.text) <= MAX_HIDDEN * 4:
                return val.text.encode("latin-1", "replace")
            return None
        qual = self.ev.ev(node.func, scope).qual or ""
        if qual.endswith(".encode") or qual == "":
            if isinstance(node.func, ast.Attribute) and node.func.attr == "encode":
                return self._decoded_bytes(node.func.value, scope, depth + 1)
            return None
        if qual not in api.DECODERS:
            return None
        inner = self._decoded_bytes(node.args[0], scope, depth + 1)
        if inner is None or len(inner) > MAX_HIDDEN * 4:
            return None
        return decode_bytes(qual, inner, MAX_HIDDEN)

    def _import_call(self, site: CallSite, qual: str) -> None:
        node, scope, line = site.node, site.scope, site.node.lineno
        args, kws = self.ev.args_of(node, scope)
        name = args[0] if args else kws.get("name", NOTHING)
        self.param_sink([name], scope, "import")
        if name.labels & {NETWORK, DECODED}:
            self.add(
                "obfuscation",
                "critical",
                line,
                f"imports a module named by decoded data ({(name.text or '?')[:40]})",
            )
        elif ASSEMBLED in name.labels and name.exact and name.text in _SENSITIVE_MODULES:
            self.add(
                "obfuscation",
                "high",
                line,
                f"imports {name.text!r} through a name assembled from pieces",
            )
        elif name.exact or _MODULE_PATH.search((name.text or "").replace(UNKNOWN, " ")):
            return  # a literal name, or the connector's own plugins: f"{PKG}.commands.{name}"
        else:
            self.add("dynamic-code", "medium", line, "imports a module named at run time")

    def _getattr(self, site: CallSite) -> None:
        node, scope, line = site.node, site.scope, site.node.lineno
        args, _ = self.ev.args_of(node, scope)
        if len(args) < 2 or args[0].qual is None:
            return
        target, name = args[0].qual, args[1]
        if target.split(".")[0] not in _SENSITIVE_ROOTS:
            return
        shown = f"{target}.{name.text if name.exact else '?'}"
        if name.labels & {NETWORK, DECODED}:
            self.add("obfuscation", "critical", line, f"reaches {shown} through a decoded name")
        elif ASSEMBLED in name.labels:
            self.add("obfuscation", "high", line, f"reaches {shown} through an assembled name")
        elif name.exact:
            if name.text in api.DANGEROUS_ATTRS:
                self.add(
                    "dynamic-code",
                    "high",
                    line,
                    f"reaches {shown} through getattr(), hiding the call from review",
                )
        else:
            self.add(
                "dynamic-code",
                "medium",
                line,
                f"getattr() on {target} with a name computed at run time",
            )

    def _deserialize(self, site: CallSite, qual: str) -> None:
        node, scope, line = site.node, site.scope, site.node.lineno
        args, _ = self.ev.args_of(node, scope)
        data = args[0] if args else NOTHING
        self.param_sink([data], scope, "deserialize")
        marshal = qual.startswith("marshal.")
        if NETWORK in data.labels:
            self.add(
                "download-and-execute",
                "critical",
                line,
                f"{qual}() loads objects downloaded from the network",
            )
        elif data.labels & {DECODED, BLOB, BYTES}:
            self.add(
                "dynamic-code",
                "critical" if marshal else "high",
                line,
                f"{qual}() loads embedded data: a hidden payload",
            )
        elif PKGFILE in data.labels and not qual.startswith(("shelve.", "jsonpickle.")):
            self.add(
                "dynamic-code",
                "critical" if marshal else "high",
                line,
                f"{qual}() loads objects from a data file shipped in the package: unpickling"
                " runs whatever code the file names, unseen by review",
            )
        elif marshal:
            self.add("dynamic-code", "medium", line, f"{qual}() loads code objects")

    # -- processes, network, files ---------------------------------------------------------
    def _command_values(self, qual: str, args: list[Val], kws: dict[str | None, Val]) -> list[Val]:
        if qual.startswith("os.spawn"):
            args = args[1:]  # the mode
        if qual.startswith(("os.exec", "os.spawn", "os.posix_spawn")):
            if len(args) >= 2 and args[1].items is not None and "v" in qual[3:] + "posix_spawn":
                # execv(path, argv): the program is the path, argv[0] only its name
                return [args[0], *args[1].items[1:]]
            return args
        if qual == "asyncio.create_subprocess_exec":
            return args  # create_subprocess_exec(program, *args)
        first = args[0] if args else kws.get("args", kws.get("cmd", kws.get("command", NOTHING)))
        return list(first.items) if first.items is not None else [first]

    def _command(self, site: CallSite, qual: str) -> None:
        node, scope, line = site.node, site.scope, site.node.lineno
        self.bandit_calls.append(node)
        self.capability("subprocess", line)
        args, kws = self.ev.args_of(node, scope)
        parts = self._command_values(qual, args, kws)
        text, _ = join_texts(parts, " ")
        code = executed_parts(parts)
        labels = union(code)
        self.param_sink(code, scope, "command")
        self.executes.append((scope.sid, text))
        if NETWORK in labels:
            self.add(
                "download-and-execute",
                "critical",
                line,
                "runs a command downloaded from the network",
            )
        elif DECODED in labels:
            self.add("obfuscation", "critical", line, "runs a command decoded at run time")
        for rule, severity, message, _ in shell_threats(text):
            self.add(rule, severity, line, message)
        what = credential_target(text)
        if what:
            self.r.credential_reads.append((line, what, False))
        persisted = persistence_target(text)
        if persisted or persistence_command(text):
            self.add(
                "persistence",
                "high",
                line,
                f"installs something that starts by itself ({persisted or 'scheduler'})",
            )
        if self._spawns_shell(qual, parts, text):
            self.shells.append(line)
        elif runs_shell(text) and "stdin" in kws and not literal_input(kws):
            self.piped_shells.append(line)  # fed from elsewhere: a relay, with a socket
        self._shell_script(site, parts)
        fed = kws.get("input", NOTHING)
        if "input" in kws and NETWORK not in fed.labels:
            self._stdin_script(site, parts, fed)
        program = program_name(parts)
        script_from_stdin = len(parts) < 2 or (
            parts[1].exact and parts[1].text in ("-", "-s", "-i", "/dev/stdin")
        )  # `python -m json.tool` reads data on stdin, `python -` reads code
        if (
            NETWORK in fed.labels
            and script_from_stdin
            and (
                program in api.SHELLS
                or program.startswith("python")
                or (bool(parts) and parts[0].qual == "sys.executable")
            )
        ):
            self.add(
                "download-and-execute",
                "critical",
                line,
                "feeds downloaded data to an interpreter's standard input, which runs it",
            )
        if fed.labels & {ENV_DUMP, CREDENTIAL} and program in NETWORK_TOOLS:
            self.add(
                "exfiltration",
                "critical",
                line,
                f"pipes the environment or a credential store into {program}, which sends it",
            )
        streams = [kws[k] for k in ("stdin", "stdout", "stderr") if k in kws]
        if NETWORK in union(streams):
            self.add(
                "reverse-shell",
                "critical",
                line,
                "connects a process's input and output to a network socket",
            )
        self._effect(site, "runs a command")

    def _stdin_script(self, site: CallSite, parts: list[Val], fed: Val) -> None:
        """``["bash", "-s"]`` (or a bare shell) with ``input=`` not written in the code: the
        input is the script, as with ``sh -c``."""
        start = past_wrappers(parts)
        rest = parts[start + 1 :]
        if program_name(parts[start:]) not in api.SHELLS or fed.exact or PKGFILE in fed.labels:
            return
        if rest and not (rest[0].exact and rest[0].text in ("-s", "-", "/dev/stdin")):
            return
        self.add(
            "shell-injection",
            "high",
            site.node.lineno,
            "feeds a shell a script (input=) that is not written in the code",
        )

    def _shell_script(self, site: CallSite, parts: list[Val]) -> None:
        """``["sh", "-c", script]`` with a script not written in the code: shell=True by hand.

        Wrappers (``env``, ``nice``, ``timeout 5``, ``sudo``) are looked through, and
        combined flags (``-lc``, ``-ec``) count as ``-c``.
        """
        start = past_wrappers(parts)
        program = program_name(parts[start:])
        if program not in api.SHELLS:
            return
        for i, (flag, script) in enumerate(itertools.pairwise(parts)):
            if i < start or not script_flag(flag) or script.exact or PKGFILE in script.labels:
                continue  # a literal script, or the package's own script file (reviewed)
            first = site.node.args[0] if site.node.args else None
            elts = first.elts if isinstance(first, ast.List | ast.Tuple) else []
            quoted = i + 1 < len(elts) and self._quoted(elts[i + 1], site.scope, 0)
            self.add(
                "shell-injection",
                "low" if quoted else "high",
                site.node.lineno,
                f"runs {program} -c on a script that is not written in the code"
                + ("; every value in it is quoted with shlex.quote" if quoted else ""),
            )
            return

    @staticmethod
    def _spawns_shell(qual: str, parts: list[Val], text: str) -> bool:
        words = text.split()
        if not words:
            return False
        program = words[0].strip("'\"")
        if qual == "os.system" or qual.startswith("os.popen"):
            return program in api.SHELLS and len(words) == 1
        return program in api.SHELLS and ("-i" in words or len(words) == 1)

    def _effect(self, site: CallSite, what: str) -> None:
        """An effect: reported now at import or install time, else kept for its function."""
        if site.import_time or self.install_time:
            self._side_effect(site.node.lineno, what)
        else:
            self.effects.setdefault(site.scope.sid, what)

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

    def _side_effect(self, line: int, what: str) -> None:
        if self.install_time:
            self.add("install-time-code", "high", line, f"{what} when the package is installed")
        else:
            self.add(
                "import-time-side-effect", "high", line, f"{what} as soon as the module is imported"
            )

    def _network(self, site: CallSite, name: str, receiver: Val = NOTHING) -> None:
        node, scope, line = site.node, site.scope, site.node.lineno
        self.capability("network", line)
        if name in ("connect", "connect_ex", "socket.create_connection"):
            self._raw_ip(site)
        active = name in api.NETWORK_ACTIVE or name in api.NETWORK_METHODS
        if active and node.args:
            self._built_url(site)
        if active:
            self._effect(site, "contacts the network")
        if not (self.m.secret_hints or self.m.env_dump_syntax or self.stealer):
            return  # no string in this file names a secret store: nothing to follow
        args, kws = self.ev.args_of(node, scope)
        vals = args + [v for k, v in kws.items() if k not in ("timeout",)]
        labels = union(vals)
        self.param_sink(vals, scope, "network")
        if labels & {ENV_DUMP, ENVIRON}:
            self.add(
                "exfiltration",
                "critical",
                line,
                "sends the whole environment (os.environ) over the network",
            )
        if CREDENTIAL in labels:
            self.sent_credentials = True
            self.add(
                "exfiltration",
                "critical",
                line,
                "sends data read from a credential store over the network",
            )

    def _built_url(self, site: CallSite) -> None:
        """A destination put together at run time: ``f"http://{HOST}:8080/"`` with HOST known."""
        url = self.ev.ev(site.node.args[0], site.scope).text
        if url and "://" in url:
            self._destinations(site.node.lineno, url)

    def _destinations(self, line: int, text: str) -> None:
        """Each suspicious URL in ``text``, once per file (literal or built at run time)."""
        for url in urls_in(text):
            kind = destination_kind(url)
            if kind and url not in self.urls_seen:
                self.urls_seen.add(url)
                severity = "medium" if is_shortener(kind) else "high"
                self.add("suspicious-destination", severity, line, f"talks to {kind}: {url[:80]}")

    def _raw_ip(self, site: CallSite) -> None:
        args, _ = self.ev.args_of(site.node, site.scope)
        if not args:
            return
        host = args[0].items[0] if args[0].items else args[0]
        if host.exact and host.text and destination_kind(f"tcp://{host.text}/"):
            self.add(
                "suspicious-destination",
                "high",
                site.node.lineno,
                f"connects to a raw public IP address ({host.text})",
            )

    def _open(self, site: CallSite) -> None:
        node, scope, line = site.node, site.scope, site.node.lineno
        args, kws = self.ev.args_of(node, scope)
        path = args[0] if args else kws.get("file", NOTHING)
        opened = self.ev.ev(node, scope)
        if WFILE in opened.labels:
            self._write(site, path, [])
        else:
            self._read(line, path)
            self.param_sink([path], scope, "read")  # _slurp(path): the caller names the file

    def _write_call(self, site: CallSite, qual: str) -> None:
        node, scope = site.node, site.scope
        args, _ = self.ev.args_of(node, scope)
        if qual == "os.chmod":
            self._chmod(
                site, args[0] if args else NOTHING, node.args[1] if len(node.args) > 1 else None
            )
            return
        index = 1 if qual in _SECOND_ARG_TARGET else 0
        target = args[index] if len(args) > index else NOTHING
        data = [args[0]] if qual == "urllib.request.urlretrieve" and args else []
        if qual == "urllib.request.urlretrieve":
            data = [Val(labels=frozenset({NETWORK}))]
        self._write(site, target, data)

    def _write(self, site: CallSite, target: Val, data: list[Val]) -> None:
        line, scope = site.node.lineno, site.scope
        where = location(target)
        if where in ("home", "system"):
            self.capability("filesystem", line)
        what = persistence_target(target.partial())
        if what:
            self.add("persistence", "high", line, f"writes to {what}, which runs by itself")
        if NETWORK in union(data):
            self.drops.append((scope.sid, line, target.partial()))
        self._code_drop(line, target.partial(), union(data))
        self.param_sink([target, *data], scope, "file")
        if where in ("home", "system") and terminal_name(site.node.func) not in DIR_MAKERS:
            self._effect(site, "writes outside its folder")  # a cache folder made at import is not

    def _code_drop(self, line: int, path: str, labels: frozenset[str]) -> None:
        """Downloaded or decoded data written as a module or library: code for later."""
        if not labels & {NETWORK, DECODED} or not _CODE_FILE.search(path.lower()):
            return
        if NETWORK in labels:
            self.add(
                "download-and-execute",
                "critical",
                line,
                "writes downloaded data into a Python module or native library, which runs"
                " when it is imported or loaded",
            )
        else:
            self.add(
                "obfuscation",
                "critical",
                line,
                "writes decoded data into a Python module or native library: a hidden payload"
                " that runs when it is imported or loaded",
            )

    def _chmod(self, site: CallSite, target: Val, mode: ast.expr | None) -> None:
        self.bandit_calls.append(site.node)
        if mode is None:
            return
        text = ast.unparse(mode)
        if isinstance(mode, ast.Constant) and isinstance(mode.value, int):
            text = oct(mode.value)
        if _EXEC_BITS.search(text):
            self.chmods.append((site.scope.sid, target.partial()))

    def _read(self, line: int, path: Val) -> None:
        what = credential_target(path.partial())
        if what:
            self.r.credential_reads.append((line, what, False))

    def _native(self, site: CallSite, qual: str) -> None:
        node, scope, line = site.node, site.scope, site.node.lineno
        self.capability("native", line)
        if qual in api.NATIVE_MEMORY_CALLS:
            args, _ = self.ev.args_of(node, scope)
            labels = union(args)
            if labels & {DECODED, BLOB, BYTES, NETWORK}:
                self.add(
                    "native-code",
                    "critical",
                    line,
                    f"{qual}() loads decoded or downloaded bytes into native memory (shellcode)",
                )
            elif qual.endswith(("CDLL", "LoadLibrary")) and args and location(args[0]) == "temp":
                self.add("native-code", "high", line, "loads a native library from the temp folder")

    # -- summaries and correlations --------------------------------------------------------
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
            if "network" in kinds and CREDENTIAL in labels:
                self.sent_credentials = True
                self.add(
                    "exfiltration",
                    "critical",
                    line,
                    f"passes data read from a credential store to {via}, which sends it "
                    "over the network",
                )
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

    def _encoded_literals(self) -> None:
        """Literals that decode (base64 or hex, then perhaps zlib, gzip, bz2, lzma) to code."""
        for line, value in self.m.encoded:
            raw = decode_literal(value)
            if raw is None:
                continue
            text = raw.decode("utf-8", "replace")
            if self._note_hidden(line, text):
                continue
            if len(raw) <= 400 and raw.isascii() and text.isprintable():
                # only clean text: an identifier decoded as base64 gives bytes, not words
                self._secrets_in("VALUE", text, line, "base64- or hex-encoded")  # no keyword

    def _foreign_path_edit(self) -> bool:
        """``sys.path`` given a folder that is not the connector's own (``__file__``-based)."""
        for node, scope in self.m.path_edits:
            args = node.args[1:] if node.func.attr == "insert" else node.args  # type: ignore[attr-defined]
            if args and PKGDIR not in self.ev.ev(args[0], scope).labels:
                return True
        return False

    def _assembled_secrets(self) -> None:
        """Secrets written in pieces (``"ghp_" + "..."``, ``"".join([...])``): the pieces
        hide them from detect-secrets, the folded whole does not."""
        checked = 0
        for scope in [self.m.module, *self.m.all_scopes]:
            for name, bindings in scope.bindings.items():
                for kind, payload, where in bindings[:2]:
                    if kind != "value" or not assembly(payload) or checked >= 64:
                        continue
                    checked += 1
                    value = self.ev.ev(payload, where)  # type: ignore[arg-type]
                    text = value.text or ""
                    if not (value.exact and ASSEMBLED in value.labels and 16 <= len(text) <= 400):
                        continue
                    self._secrets_in(name, text, getattr(payload, "lineno", 0), "written in pieces")

    def _secrets_in(self, name: str, text: str, line: int, how: str) -> None:
        """detect-secrets on a value the file only holds folded, reported at ``line``."""
        for found in find_secrets(self.m.path, f"{name} = {text!r}"):
            self.r.findings.append(
                dataclasses.replace(
                    found,
                    line=line,
                    message=f"{found.message} ({how})",
                    evidence=evidence_of(self.m.source(line)),
                )
            )

    def _sink_refs(self) -> None:
        """``exec``/``os.system`` used as a value: called later by something else."""
        for node, scope in self.m.sink_refs[:16]:
            qual = self.ev.ev(node, scope).qual or ""
            if qual in _HANDED_ON:
                self.add(
                    "dynamic-code",
                    "high",
                    node.lineno,
                    f"hands {qual.removeprefix('builtins.')} on as a value (to map, partial,"
                    " a callback or an attribute), which hides where and on what it is called",
                )
                return

    def _main_imports(self) -> None:
        """``from . import __main__``: a package's entry point run on import, where the
        scanner (which reads __main__.py as an entry point) would not look for it."""
        for line in self.m.main_imports[:1]:
            self.add(
                "import-time-side-effect",
                "high",
                line,
                "imports a package's __main__ module, running its entry point as a side effect",
            )

    def _package_helper(self, parent: ast.AST | None, scope: Scope) -> bool:
        """A call of a function imported from the package's own modules (``from .util
        import run``): the scanner does not follow it there, so what it gets counts."""
        if not (isinstance(parent, ast.Call) and isinstance(parent.func, ast.Name)):
            return False
        bound = scope.bindings_of(parent.func.id)
        return bool(bound) and bound[0][0] == "module" and str(bound[0][1]).startswith(".")

    def _consoles(self) -> None:
        """A subclass of code.InteractiveConsole: a Python prompt, remote with a socket."""
        for line, base, scope in self.m.class_bases:
            if (self.ev.ev(base, scope).qual or "").startswith("code.Interactive"):
                self.ptys.append(line)
                self.consoles = True

    def _hidden_code(self) -> None:
        """Decoded code found above, once per line not already flagged as running it."""
        flagged = {
            f.line
            for f in self.r.findings
            if f.severity == "critical" and f.rule in ("obfuscation", "download-and-execute")
        }
        for line, excerpt in self.hidden_code:
            if line not in flagged:
                flagged.add(line)
                self.add(
                    "obfuscation",
                    "critical",
                    line,
                    f"decodes code hidden in an encoded literal ({excerpt})",
                )

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
            )
            if runs:
                self.add(
                    "download-and-execute",
                    "critical",
                    line,
                    "writes downloaded data to disk, then makes it executable, runs it or"
                    " loads it as code",
                )
        if self.sent_credentials:
            self.r.credential_reads = [(ln, what, True) for ln, what, _ in self.r.credential_reads]
