"""Call rules for the network and files: destinations, what is sent (the environment,
credentials), writes outside the folder (persistence, code dropped to disk), reads of
credential stores, executable bits.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping, Sequence
from typing import TypeVar

from argent_marketplace.scan import python_api as api
from argent_marketplace.scan.patterns import (
    DOTENV,
    credential_target,
    destination_kind,
    foreign_host,
    host_of,
    is_shortener,
    persistence_target,
    platform_target,
    urls_in,
)
from argent_marketplace.scan.python_call_state import CallState
from argent_marketplace.scan.python_model import CallSite
from argent_marketplace.scan.python_shapes import DIR_MAKERS, terminal_name
from argent_marketplace.scan.python_values import (
    CREDENTIAL,
    DECODED,
    ENV_DUMP,
    ENVIRON,
    NETWORK,
    NOTHING,
    PKGDIR,
    PLATFORM,
    WFILE,
    Val,
    location,
    union,
)

__all__ = ["IoRules"]

_T = TypeVar("_T")

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
_CODE_FILE = re.compile(r"\.(?:py|pyw|pyc|so|dylib|dll|pyd|egg|whl)$")  # .pth: persistence
_EXEC_BITS = re.compile(r"S_IX|S_IEXEC|0o[0-7]*[1357][0-7]{0,2}$")


class IoRules(CallState):
    """Network and files."""

    def _network(self, site: CallSite, name: str, receiver: Val = NOTHING) -> None:
        node, scope, line = site.node, site.scope, site.node.lineno
        self.capability("network", line)
        if name in ("connect", "connect_ex", "socket.create_connection"):
            self._raw_ip(site)
        active = name in api.NETWORK_ACTIVE or name in api.NETWORK_METHODS
        if active and (node.args or node.keywords):
            self._built_url(site, name)
        if active:
            self._effect(site, "contacts the network")
        if not (
            self.m.secret_hints
            or self.m.env_dump_syntax
            or self.stealer
            or self.m.package_imports
            or self.m.env_reads
        ):
            return  # nothing in this file names a secret store, a variable or another module
        args, kws = self.ev.args_of(node, scope)
        vals = args + [v for k, v in kws.items() if k not in ("timeout",)]
        labels = union(vals)
        self.param_sink(vals, scope, "network")
        self.sent(line, labels, host_of(_url_of(name, args, kws, NOTHING).partial()))
        if labels & {ENV_DUMP, ENVIRON}:
            self.add(
                "exfiltration",
                "critical",
                line,
                "sends the whole environment (os.environ) over the network",
            )
        if PLATFORM in labels:
            host = foreign_host(_url_of(name, args, kws, NOTHING).partial())
            if host:
                self.add(
                    "exfiltration",
                    "critical",
                    line,
                    f"sends cloud or cluster credentials to {host}, outside the platform"
                    " they belong to",
                )
        if CREDENTIAL in labels:
            self.sent_credentials = True
            self.add(
                "exfiltration",
                "critical",
                line,
                "sends data read from a credential store over the network",
            )

    def _watching(self, site: CallSite, qual: str) -> None:
        """Keyloggers, the screen captured (medium), the clipboard read and written (kept
        for the per-file checks)."""
        line = site.node.lineno
        if qual in api.KEYLOGGERS:
            self.keyloggers.append((line, qual))  # judged with the file's network use, later
        elif qual in api.SCREEN_CAPTURE:
            self.add("credential-harvesting", "medium", line, f"{qual}() captures the screen")
        elif qual in api.CLIPBOARD_READS:
            self.clipboard_reads.append(line)
        else:
            self.clipboard_writes.append(line)

    def _built_url(self, site: CallSite, name: str) -> None:
        """A destination put together at run time: ``f"http://{HOST}:8080/"`` with HOST known."""
        node = site.node
        keywords = {k.arg: k.value for k in node.keywords}
        url_node = _url_of(name, node.args, keywords, None)  # only the URL is evaluated here
        if url_node is None:
            return
        url = self.ev.ev(url_node, site.scope).text
        if url and "://" in url:
            self._destinations(site.node.lineno, url)
            self._read(site.node.lineno, Val(url))  # a metadata service's credentials

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
            self.param_sink([target], scope, "drop")
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
        if what == DOTENV and _own_folder(path):
            what = None  # the connector's own .env files, beside its modules
        if what:
            self.r.credential_reads.append((line, what, False))
        platform = platform_target(path.partial())
        if platform:
            self.r.platform_reads.append((line, platform))


def _own_folder(path: Val) -> bool:
    """A path under the connector's own folder (from ``__file__``), not climbing out of it
    (``..``) nor joined with a home or absolute path."""
    text = path.partial()
    return PKGDIR in path.labels and ".." not in text and "~" not in text and "//" not in text


def _url_of(name: str, args: Sequence[_T], kws: Mapping[str | None, _T], default: _T) -> _T:
    """Where a network call goes: ``url=``, ``request(method, url)``, or its first argument
    (of the call's nodes, or of their values)."""
    if "url" in kws:
        return kws["url"]
    if name.endswith("request") and len(args) > 1:
        return args[1]
    return args[0] if args else default
