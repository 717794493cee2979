"""Per-call rules of one Python file: step 3 and 4 of :mod:`.python_rules`.

Every call the rules care about (matched cheaply by its last name first) is resolved
to what it is (``subprocess.run``, a local helper, ``exec`` reached through
``getattr``), its arguments are evaluated (:mod:`.python_eval`), and it goes to the
rules of its family: dynamic code and obfuscation (:mod:`.python_code_rules`),
processes, shells and native code (:mod:`.python_process_rules`), network and files
(:mod:`.python_io_rules`). Capabilities used are recorded for the audit. Then, inside
the file (:mod:`.python_flow_rules`): arguments flowing into local helpers whose
parameters reach a sink, effects reached at import time, a socket plus
``dup2``/``pty``/a shell, a download written to disk and then run.
"""

from __future__ import annotations

import ast

from argent_marketplace.scan import python_api as api
from argent_marketplace.scan.patterns import persistence_target, shell_threats
from argent_marketplace.scan.python_call_state import CallState, PythonReport
from argent_marketplace.scan.python_code_rules import CodeRules
from argent_marketplace.scan.python_flow_rules import FlowRules
from argent_marketplace.scan.python_io_rules import IoRules
from argent_marketplace.scan.python_model import CallSite, Scope
from argent_marketplace.scan.python_model import hidden_call as hidden_call_of
from argent_marketplace.scan.python_process_rules import ProcessRules
from argent_marketplace.scan.python_shapes import PROCESS_HOOKS, executable_prot
from argent_marketplace.scan.python_values import (
    FILE,
    INDIRECT,
    NETWORK,
    NOTHING,
    WFILE,
    Val,
    union,
)

__all__ = ["BANDIT_TERMINALS", "CallRules", "CallState", "PythonReport"]

_WRITE_METHODS = frozenset(
    {"write_text", "write_bytes", "touch", "mkdir", "symlink_to", "hardlink_to"}
)
_COPY_SOURCES = frozenset(
    {"shutil.copy", "shutil.copy2", "shutil.copyfile", "shutil.copytree", "shutil.make_archive"}
)
_EXEC_MEMORY = frozenset(
    {"mmap.mmap", "ctypes.windll.kernel32.VirtualAlloc", "ctypes.windll.kernel32.VirtualProtect"}
)
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
            api.NATIVE_MEMORY_CALLS, api.NETWORK_METHODS, api.KEYLOGGERS, api.SCREEN_CAPTURE,
            api.CLIPBOARD_WRITES, api.CLIPBOARD_READS,
        )
        for name in group
    }
    | {"getattr", "open", "dup2", "socket", "fromfd", "mmap", "CFUNCTYPE", "WINFUNCTYPE", "cast",
       "VirtualAlloc", "VirtualProtect", "write", "writelines", "read_text", "read_bytes", "glob",
       "rglob", "iterdir", "rename", "replace", "chmod", "memmove", "runsource", "runcode", "read",
       "add", "fork", "forkpty", "methodcaller", "attrgetter", "load", "InteractiveConsole",
       "interact", "InteractiveInterpreter", "addaudithook", "settrace", "setprofile",
       "exec_module", "extractall", "unpack_archive",
       *(name.rsplit(".", 1)[-1] for name in api.DECODERS | api.CODE_LOADERS)}
    | _WRITE_METHODS
)  # fmt: skip
_CODE_METHODS = frozenset({"runsource", "runcode", "exec_module"})


class CallRules(CodeRules, ProcessRules, IoRules, FlowRules):
    """Step 3 and 4 for one file: each call dispatched to its family's rules."""

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
        self._returned_environment()
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
        # high in a workflow step's text; elsewhere in a file that writes workflows, medium
        steps = [(ln, step) for ln, step in self.m.secrets_dumps if step or self.m.workflow_text]
        for line, step in steps[:1]:
            self.add(
                "exfiltration",
                "high" if step else "medium",
                line,
                "a GitHub Actions expression that prints every secret of the repository"
                " (toJSON(secrets)), as workflow-injecting stealers write",
            )
        for line in self.m.agent_bypass[:1]:  # in a command it is high (shell_threats)
            self.add(
                "dynamic-code",
                "low",
                line,
                "names an AI coding agent's switch that turns its permission checks off: run"
                " with it, the agent does whatever its prompt says",
            )
        for line, path in self.m.host_mounts[:1]:
            self.add(
                "container-escape",
                "high",
                line,
                f"a pod spec mounting the node's {path} (hostPath): whatever runs in that"
                " container controls the node",
            )
        if self.m.odd_identifiers:
            line, name = self.m.odd_identifiers[0]
            self.add(
                "confusable-identifier",
                "medium",
                line,
                f"non-ASCII identifier {name!r} can pass for another name in review",
            )

    def _call(self, site: CallSite) -> None:
        node, scope = site.node, site.scope
        if any(k.arg == "shell" for k in node.keywords):
            self.bandit_calls.append(node)  # bandit's B604: any function given shell=
            command = node.args[0] if node.args else None
            if command is not None and self._quoted(command, scope, 0):
                self.r.quoted_shell.add(node.lineno)
        terminal = self._terminal(node.func, scope)
        if self.install_time and terminal == "setup":
            self._custom_commands(site)
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
        if qual == "shutil.unpack_archive":
            self.extracts.append(line)
        if qual in api.KEYLOGGERS or qual in api.SCREEN_CAPTURE or qual in api.CLIPBOARD:
            self._watching(site, qual)
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
        if method == "extractall":
            self.extracts.append(site.node.lineno)
            return True
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
                self.param_sink([receiver], scope, "drop")  # _download(url, dest): the caller's
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
            self._read(line, Val(receiver.partial() + joint + pattern, False, receiver.labels))
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
