"""Call rules for dynamic code and obfuscation: ``exec``/``eval`` and imports of what the
file decodes or assembles, ``getattr`` into sensitive modules, deserialisers, code and
secrets hidden in encoded or split literals, sinks handed on as values.
"""

from __future__ import annotations

import ast
import dataclasses
import re

from argent_marketplace.scan import python_api as api
from argent_marketplace.scan.findings import evidence_of
from argent_marketplace.scan.patterns import UNKNOWN
from argent_marketplace.scan.python_call_state import CallState
from argent_marketplace.scan.python_model import CallSite, Scope
from argent_marketplace.scan.python_shapes import (
    LOOKS_LIKE_CODE,
    MAX_HIDDEN,
    assembly,
    decode_literal,
    unsafe_yaml_loader,
)
from argent_marketplace.scan.python_values import (
    ASSEMBLED,
    BLOB,
    BYTES,
    CODE,
    DECODED,
    FILE,
    NETWORK,
    NOTHING,
    PKGFILE,
    decode_bytes,
)
from argent_marketplace.scan.secrets import find_secrets

__all__ = ["CodeRules"]

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
_MODULE_PATH = re.compile(r"[A-Za-z_]\w*\.|\.[A-Za-z_]\w*")
_HANDED_ON = frozenset(
    {"builtins.exec", "builtins.eval", "builtins.__import__", "builtins.execfile", "os.system",
     "os.popen", "os.execv", "os.execve", "os.execl", "os.execvp", "os.spawnv", "posix.system"}
)  # fmt: skip


class CodeRules(CallState):
    """Dynamic code and obfuscation."""

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
