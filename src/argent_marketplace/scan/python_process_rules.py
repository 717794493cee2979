"""Call rules for processes, shells and native code: what a command runs (downloaded or
decoded text, shell threats, persistence, credential paths), scripts handed to a shell
or an interpreter's stdin, interactive shells, ctypes loading bytes as code.
"""

from __future__ import annotations

import ast
import itertools

from argent_marketplace.scan import python_api as api
from argent_marketplace.scan.patterns import (
    credential_target,
    persistence_command,
    persistence_target,
    shell_threats,
)
from argent_marketplace.scan.python_call_state import CallState
from argent_marketplace.scan.python_model import CallSite
from argent_marketplace.scan.python_shapes import (
    NETWORK_TOOLS,
    executed_parts,
    literal_input,
    past_wrappers,
    program_name,
    runs_shell,
    script_flag,
)
from argent_marketplace.scan.python_values import (
    BLOB,
    BYTES,
    CREDENTIAL,
    DECODED,
    ENV_DUMP,
    NETWORK,
    NOTHING,
    PKGFILE,
    Val,
    join_texts,
    location,
    union,
)

__all__ = ["ProcessRules"]


class ProcessRules(CallState):
    """Processes, shells and native code."""

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
        # sys.executable is a Python: `sys.executable -m json.tool FILE` runs no FILE
        shown = [Val("python", True) if v.qual == "sys.executable" else v for v in parts]
        self.executes.append((scope.sid, join_texts(shown, " ")[0]))
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

    def _consoles(self) -> None:
        """A subclass of code.InteractiveConsole: a Python prompt, remote with a socket."""
        for line, base, scope in self.m.class_bases:
            if (self.ev.ev(base, scope).qual or "").startswith("code.Interactive"):
                self.ptys.append(line)
                self.consoles = True
