"""What commands, calls and literals look like: pure helpers of the call rules.

Nothing here walks a tree or evaluates a name: each function reads one node, one
folded command or one literal, so the rules in :mod:`.python_calls` stay about what
a file does rather than how a command line is spelled.
"""

from __future__ import annotations

import ast
import itertools
import re

from argent_marketplace.scan import python_api as api
from argent_marketplace.scan.patterns import UNKNOWN
from argent_marketplace.scan.python_model import Scope
from argent_marketplace.scan.python_values import NOTHING, Val, decode_bytes

__all__ = [
    "CALLBACK_RUNNERS",
    "COMPRESSED",
    "CONSTRUCTION",
    "DIR_MAKERS",
    "LAUNCHERS",
    "LOOKS_LIKE_CODE",
    "MAX_HIDDEN",
    "NETWORK_TOOLS",
    "PROCESS_HOOKS",
    "SCRIPT_FLAGS",
    "SCRIPT_POSITION",
    "STARTABLE",
    "WRAPPERS",
    "assembly",
    "decode_literal",
    "executable_prot",
    "executed_parts",
    "literal_input",
    "own_methods",
    "past_wrappers",
    "program_name",
    "runs_file",
    "runs_shell",
    "script_flag",
    "started_runner",
    "terminal_name",
    "unsafe_yaml_loader",
]

# Plain text that reads as a program: what an encoded literal of a connector never holds.
LOOKS_LIKE_CODE = re.compile(
    r"\b(?:exec|eval|__import__|compile|getattr)\s*\(|"
    r"\bimport\s+(?:os|sys|socket|subprocess|pty|base64|zlib|ctypes|urllib|requests|marshal)\b|"
    r"\bfrom\s+[\w.]+\s+import\s|\bos\.(?:system|popen|dup2|exec)|\bsubprocess\.|"
    r"\bsocket\.socket|/bin/(?:ba|z|da)?sh\b|\b(?:curl|wget)\s+\S|powershell|\bnc\s+-"
)
MAX_HIDDEN = 1 << 16  # bytes decoded from one literal, at most
# Calls that run the function they are given at once: executors, a thread started on
# the spot, audit and trace hooks. Registries (``tools.register(f)``, ``atexit.register``)
# only keep it.
CALLBACK_RUNNERS = frozenset(
    {"submit", "start_new_thread", "run_in_executor", "addaudithook", "settrace", "setprofile"}
)
STARTABLE = frozenset({"Thread", "Timer", "Process"})
SCRIPT_FLAGS = frozenset({"-c", "-e", "--eval", "--command", "-Command", "/c"})


COMPRESSED = (
    (b"\x78", "zlib.decompress"),
    (b"\x1f\x8b", "gzip.decompress"),
    (b"BZh", "bz2.decompress"),
    (b"\xfd7zXZ", "lzma.decompress"),
)


def executable_prot(node: ast.Call) -> bool:
    """``mmap.mmap(..., prot=7)``: PROT_EXEC (4) written as a number."""
    for kw in node.keywords:
        if kw.arg in ("prot", "flProtect") and isinstance(kw.value, ast.Constant):
            value = kw.value.value
            if isinstance(value, int) and (value & 4 if kw.arg == "prot" else value & 0xF0):
                return True
    return False


def runs_shell(command: str) -> bool:
    words = command.split()
    return bool(words) and words[0].strip("'\"").rsplit("/", 1)[-1] in api.SHELLS


def assembly(node: object) -> bool:
    """``"a" + B``, ``"".join([...])``, ``f"{A}{B}"``: a string put together from parts."""
    if isinstance(node, ast.BinOp):
        return isinstance(node.op, ast.Add)
    if isinstance(node, ast.Call):
        return isinstance(node.func, ast.Attribute) and node.func.attr == "join"
    if isinstance(node, ast.JoinedStr):
        return all(
            isinstance(v, ast.Constant)
            or (isinstance(v, ast.FormattedValue) and isinstance(v.value, ast.Name))
            for v in node.values
        )
    return False


# Where a quoted value is still run as code: `bash -c {x}`, `eval {x}`, `python3 -c ` + x.
SCRIPT_POSITION = re.compile(r"(?:^|\s)(?:-[a-z]*c|--command|-e|eval|exec|source|\.)\s*['\"]?$")
DIR_MAKERS = frozenset({"mkdir", "makedirs"})
PROCESS_HOOKS = {
    "sys.addaudithook": "high",
    "sys.settrace": "medium",
    "sys.setprofile": "medium",
    "threading.settrace": "medium",
    "threading.setprofile": "medium",
}
NETWORK_TOOLS = frozenset({"curl", "wget", "nc", "ncat", "socat", "ssh", "scp", "rsync", "ftp"})
WRAPPERS = frozenset({"env", "nice", "nohup", "timeout", "sudo", "stdbuf", "exec", "command"})


def program_name(parts: list[Val]) -> str:
    """The program's base name (``/bin/bash`` -> ``bash``), or ``""`` when not literal."""
    first = parts[0] if parts else NOTHING
    return (first.text or "").strip("'\"").rsplit("/", 1)[-1] if first.exact else ""


def past_wrappers(parts: list[Val]) -> int:
    """Where the real program starts: ``env FOO=1 sh -c``, ``timeout 5 sh -c``."""
    i = 0
    while i < len(parts) and program_name(parts[i:]) in WRAPPERS:
        i += 1
        while (
            i < len(parts)
            and parts[i].exact
            and (
                (parts[i].text or "").startswith("-")
                or "=" in (parts[i].text or "")
                or (parts[i].text or "").replace(".", "").isdigit()
            )
        ):
            i += 1
    return i


def script_flag(flag: Val) -> bool:
    """``-c`` and its combined forms (``-lc``, ``-ec``, ``-xec``)."""
    text = flag.text or ""
    return flag.exact and (
        text in SCRIPT_FLAGS
        or (text.startswith("-") and not text.startswith("--") and text.endswith("c"))
    )


def unsafe_yaml_loader(qual: str | None) -> bool:
    """The PyYAML loaders that build any Python object (FullLoader has not since 5.4)."""
    return (qual or "").rsplit(".", 1)[-1] in ("Loader", "UnsafeLoader", "CLoader", "CUnsafeLoader")


def literal_input(kws: dict[str | None, Val]) -> bool:
    """``input=`` given as literal text (a script written in the code), not a pipe."""
    fed = kws.get("input")
    return fed is not None and fed.exact


CONSTRUCTION = ("__new__", "__init__", "__post_init__")


def own_methods(cls: Scope | None, names: tuple[str, ...]) -> list[Scope]:
    """The class's own methods of these names."""
    if cls is None:
        return []
    found = []
    for name in names:
        for kind, payload, _ in cls.bindings.get(name, [])[:1]:
            if kind == "def" and isinstance(payload, Scope):
                found.append(payload)
    return found


def started_runner(node: ast.Call) -> ast.Call | None:
    """The call that runs a callback: ``executor.submit(f)``, ``Thread(target=f).start()``."""
    name = terminal_name(node.func)
    if name in CALLBACK_RUNNERS:
        return node
    if (
        name == "start"
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Call)
        and terminal_name(node.func.value.func) in STARTABLE
    ):
        return node.func.value
    return None


def terminal_name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else None


def decode_literal(value: str) -> bytes | None:
    """A base64 or hex literal's bytes, decompressed when they start like zlib and kin."""
    head = value[: MAX_HIDDEN * 2].encode("ascii", "replace")
    if re.fullmatch(rb"(?:[0-9a-fA-F]{2})+", head):
        raw = decode_bytes("bytes.fromhex", head, MAX_HIDDEN)
    else:
        raw = decode_bytes("base64.b64decode", head + b"=" * (-len(head) % 4), MAX_HIDDEN)
        if raw is None and ("-" in value or "_" in value):
            raw = decode_bytes(
                "base64.urlsafe_b64decode", head + b"=" * (-len(head) % 4), MAX_HIDDEN
            )
    if not raw:
        return None
    for magic, qual in COMPRESSED:
        if raw.startswith(magic):
            return decode_bytes(qual, raw, MAX_HIDDEN) or raw
    return raw


def executed_parts(parts: list[Val]) -> list[Val]:
    """The parts of a command that are code: the program, a shell string, a ``-c`` script.

    Downloaded data passed as an ordinary argument (a title, an ID) is not code run.
    """
    if len(parts) <= 1:
        return parts  # os.execv() with no argument fails at run time; nothing runs
    out = [parts[0]]
    for flag, value in itertools.pairwise(parts):
        if flag.exact and flag.text in SCRIPT_FLAGS and value.partial().startswith(UNKNOWN):
            out.append(value)
    return out


def runs_file(same_scope: bool, command: str, name: str) -> bool:
    """Whether ``command`` runs the dropped file: it is the program, by name or unknown,
    or the script of an interpreter or wrapper (``bash /tmp/i.sh``, ``sudo /tmp/x``)."""
    words = command.split()
    launched = False
    while words and (launcher := _launcher(words[0])):
        launched = True
        words = words[1:]
        lowered = [w.lower() for w in words]
        if launcher in _SCRIPT_FLAGS:  # java -jar x.jar, powershell ... -File x.ps1, msiexec /i
            if any(w in _NO_SCRIPT for w in lowered):
                return False  # powershell -Command ..., python -m/-c: data follows, no script
            flag = next((w for w in lowered if w.startswith(_SCRIPT_FLAGS[launcher])), None)
            if flag is not None:
                at = lowered.index(flag)
                words = words[at : at + 2] if ":" in flag else words[at + 1 : at + 2]
                break  # -javaagent:x.jar names its file in the flag itself
        while words and (words[0].startswith("-") or _WINDOWS_SWITCH.fullmatch(words[0])):
            valued = words[0].lower() in _VALUED_FLAGS  # -ExecutionPolicy Bypass
            words = words[2:] if valued else words[1:]
    program = words[0] if words else ""
    if not launched and name.lower().endswith(_DOCUMENTS):
        return False  # os.startfile(report.pdf): a viewer opens it; `sh x.json` runs it
    if name and name in program:
        return True
    return same_scope and program.startswith(UNKNOWN)


def _launcher(word: str) -> str | None:
    """The launcher ``word`` names (``/usr/bin/python3``, ``"sh|bash"`` from a condition)."""
    for alternative in word.split("|"):
        base = alternative.rsplit("/", 1)[-1].lower()
        if base in LAUNCHERS:
            return base.removesuffix(".exe")
    return None


_WINDOWS_SWITCH = re.compile(r"/[a-z?]{1,3}", re.IGNORECASE)  # wscript /b, /nologo
# Launchers whose script follows a flag (the rest of their arguments are data).
_JAVA = ("-jar", "-cp", "-classpath", "--class-path", "-javaagent:", "-agentpath:")
_SCRIPT_FLAGS = {
    "java": _JAVA,
    "javaw": _JAVA,
    "powershell": ("-file", "-f"),
    "pwsh": ("-file", "-f"),
    "msiexec": ("/i", "/package", "/a", "/j", "/y", "/z", "/p", "/update"),
}
# PowerShell's switches that take a value (the script follows them).
_VALUED_FLAGS = frozenset(
    {"-executionpolicy", "-ep", "-exec", "-windowstyle", "-w", "-outputformat", "-inputformat",
     "-configurationname", "-workingdirectory", "-psconsolefile", "-version"}
)  # fmt: skip
_NO_SCRIPT = frozenset({"-command", "-c", "-encodedcommand", "-version", "--version"})
# Files a viewer opens, not programs (os.startfile, open, xdg-open on them).
_DOCUMENTS = (
    ".pdf", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".txt", ".csv", ".json",
    ".md", ".docx", ".xlsx", ".pptx", ".odt", ".ods", ".mp3", ".mp4", ".wav", ".ics",
)  # fmt: skip


# Programs that run the file named after them.
LAUNCHERS = (
    api.SHELLS
    | WRAPPERS
    | {"python", "python3", "pythonw", "node", "perl", "ruby", "php", "deno", "bun", "osascript"}
    | {"java", "javaw", "java.exe", "javaw.exe", "wscript", "wscript.exe", "cscript", "cscript.exe"}
    | {"msiexec", "msiexec.exe", "powershell", "powershell.exe", "pwsh", "pwsh.exe", "dotnet"}
)
