"""The scanner: steps 3 and 4 of the publish pipeline, and the local gate.

For one package (path -> bytes), within the policy's time budget:

1. File rules: startup hooks, standard-library shadowing, bundled binaries,
   opaque blobs (:mod:`.files`).
2. Per file, by kind: Python (:mod:`.python_rules`, then bandit on the files
   that call what bandit checks), shell scripts, ``pyproject.toml``, the text the
   agent reads (:mod:`.text_rules`); hidden Unicode and hard-coded secrets
   (detect-secrets) in every text file.
3. Package-level correlation: a credential store read in a package that uses the
   network is exfiltration (critical); the whole environment handed to code the
   scanner cannot follow, in a package that uses the network, needs a review.
4. The permission audit (:mod:`.audit`) and typosquatting (:mod:`.names`).
5. Policy severity overrides, then findings sorted worst first.

A scan fails closed: a file over the budget, a scan over its time budget, or a
rule that crashes on hostile input each add a finding of at least ``medium``, so
the package is never published unscanned.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import json
import logging
import re
import sys
import threading
import time
from collections.abc import Collection, Iterator, Mapping
from dataclasses import astuple, dataclass, field, replace
from importlib import metadata
from pathlib import Path
from types import MappingProxyType

from argent_marketplace import __version__
from argent_marketplace.scan.audit import capability_findings, command_mode_findings
from argent_marketplace.scan.bandit_rules import bandit_findings
from argent_marketplace.scan.cache import LruCache
from argent_marketplace.scan.errors import BudgetExceeded
from argent_marketplace.scan.files import file_findings, is_text
from argent_marketplace.scan.findings import (
    CAPABILITIES,
    SEVERITIES,
    CapabilityUse,
    Finding,
    sort_findings,
)
from argent_marketplace.scan.names import typosquat_of
from argent_marketplace.scan.policy import (
    DEFAULT_POLICY,
    Deadline,
    Policy,
    policy_from_env,
    verdict,
)
from argent_marketplace.scan.python_rules import analyse_python
from argent_marketplace.scan.secrets import find_secrets
from argent_marketplace.scan.text_rules import (
    AGENT_TEXT_FILES,
    agent_text_findings,
    is_shell_script,
    pyproject_findings,
    setup_cfg_findings,
    shell_findings,
)
from argent_marketplace.scan.unicode import unicode_findings

__all__ = ["PackageScanner", "ScanContext", "ScanReport"]

log = logging.getLogger(__name__)

_MANIFEST = "argent.plugin.json"
# About 60 typical connectors' worth of files; an entry is its findings (usually none).
SERVER_CACHE_FILES = 8192
# A file whose facts are longer than this is not offered to the shared cache: thousands
# of findings are rare, and their record would double a scan worker's answer.
MAX_RECORD_CHARS = 64 * 1024
_CODE_SUFFIXES = (".py", ".pyi", ".pyw", ".sh", ".bash", ".zsh", ".toml", ".cfg", ".js", ".ps1")


@dataclass(frozen=True, slots=True)
class ScanContext:
    """What the scanner cannot see in the files themselves.

    Attributes:
        name: The package name (typosquatting); read from the manifest when ``None``.
        existing_names: Names of packages published by *other* authors.
        unscanned: Files left out over the read budget (each becomes ``not-scanned``).
        sizes: Real sizes of files given only in part (binaries: their first bytes).
        known: Path -> what that file contributed to an earlier scan by a scanner of the
            same :meth:`PackageScanner.fingerprint` (``_Facts`` JSON, from the server's
            shared scan cache): such files are not analysed again.
        learned: When given, filled with path -> ``_Facts`` JSON of every file this scan
            analysed completely (for the shared cache; failed files are left out).
        fingerprint: The scanner fingerprint ``known`` was made under and ``learned``
            will be kept under; when it is not this scanner's (another release or
            policy), ``known`` is ignored and nothing is learned. ``None``: trusted.
    """

    name: str | None = None
    existing_names: Collection[str] = ()
    unscanned: tuple[str, ...] = ()
    sizes: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    known: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    learned: dict[str, str] | None = None
    fingerprint: str | None = None


# CPython 3.11's ast.parse is not thread-safe ("AST constructor recursion depth
# mismatch" under concurrent scans): one scan at a time per process. The GIL would
# serialise this CPU-bound work anyway, so nothing is lost.
_scan_lock = threading.Lock()


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cycle collector for one scan (the caller holds ``_scan_lock``)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


@dataclass(frozen=True, slots=True)
class ScanReport:
    """Everything one scan found."""

    findings: list[Finding]
    capabilities: dict[str, list[CapabilityUse]]
    status: str
    files: int
    seconds: float


@dataclass
class _Facts:
    findings: list[Finding] = field(default_factory=list)
    uses: list[CapabilityUse] = field(default_factory=list)
    credential_reads: list[tuple[str, int, str, bool]] = field(default_factory=list)
    env_escapes: list[tuple[str, int]] = field(default_factory=list)
    shell_network: bool = False
    sent_results: list[tuple[str, int, str, str]] = field(default_factory=list)
    env_returns: list[tuple[str, str]] = field(default_factory=list)
    platform_reads: list[tuple[str, int, str]] = field(default_factory=list)
    declared: list[str] = field(default_factory=list)  # variable names the docs mention

    def to_json(self) -> str:
        """The shared scan cache's form of what one file contributed."""
        return json.dumps(
            {
                "findings": [astuple(f) for f in self.findings],
                "uses": [astuple(u) for u in self.uses],
                "credential_reads": self.credential_reads,
                "env_escapes": self.env_escapes,
                "shell_network": self.shell_network,
                "sent_results": self.sent_results,
                "env_returns": self.env_returns,
                "platform_reads": self.platform_reads,
                "declared": self.declared,
            },
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str, path: str) -> _Facts:
        """The inverse of :meth:`to_json`, for file ``path``, every field checked.

        A record decides a verdict without the file being read, so one of another shape
        (an unknown severity would count as ``info``) or about another file is refused.

        Raises:
            ValueError: ``text`` is not such a record (the caller analyses the file).
        """
        try:
            data = json.loads(text)
            facts = cls(
                [Finding(*f) for f in data["findings"]],
                [CapabilityUse(*u) for u in data["uses"]],
                [(p, n, w, x) for p, n, w, x in data["credential_reads"]],
                [(p, n) for p, n in data["env_escapes"]],
                data["shell_network"],
                [(p, n, r, e) for p, n, r, e in data["sent_results"]],
                [(p, f) for p, f in data["env_returns"]],
                [(p, n, w) for p, n, w in data["platform_reads"]],
                list(data["declared"]),
            )
        except (TypeError, KeyError, ValueError, AttributeError, RecursionError) as exc:
            raise ValueError(f"not a scan cache record: {type(exc).__name__}") from exc
        if not (
            all(_is_finding_of(f, path) for f in facts.findings)
            and all(_is_use_of(u, path) for u in facts.uses)
            and all(
                p == path and type(n) is int and isinstance(w, str) and type(x) is bool
                for p, n, w, x in facts.credential_reads
            )
            and all(p == path and type(n) is int for p, n in facts.env_escapes)
            and type(facts.shell_network) is bool
            and all(
                p == path and type(n) is int and isinstance(r, str) and isinstance(e, str)
                for p, n, r, e in facts.sent_results
            )
            and all(p == path and isinstance(f, str) for p, f in facts.env_returns)
            and all(
                p == path and type(n) is int and isinstance(w, str)
                for p, n, w in facts.platform_reads
            )
            and all(isinstance(name, str) for name in facts.declared)
        ):
            raise ValueError("not a scan cache record of this file")
        return facts

    def add(self, other: _Facts) -> None:
        """Take in what one file contributed (``other`` is left as it is: it may be cached)."""
        self.findings += other.findings
        self.uses += other.uses
        self.credential_reads += other.credential_reads
        self.env_escapes += other.env_escapes
        self.shell_network = self.shell_network or other.shell_network
        self.sent_results += other.sent_results
        self.env_returns += other.env_returns
        self.platform_reads += other.platform_reads
        self.declared += other.declared


_VARIABLE_NAME = re.compile(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b")
_MAX_DECLARED = 512
# Other platforms' credentials: no connector reads them unless its docs say so.
_WELL_KNOWN_SECRETS = frozenset(
    {
        "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "GITHUB_TOKEN", "GH_TOKEN",
        "GITLAB_TOKEN", "NPM_TOKEN", "NODE_AUTH_TOKEN", "PYPI_TOKEN", "PYPI_API_TOKEN",
        "TWINE_PASSWORD", "OPENAI_API_KEY", "ANTHROPIC_API_KEY", "HF_TOKEN",
        "HUGGING_FACE_HUB_TOKEN", "AZURE_CLIENT_SECRET", "DOCKER_PASSWORD",
        "ARGENT_MARKETPLACE_TOKEN", "GOOGLE_API_KEY", "CLOUDFLARE_API_TOKEN",
        "DIGITALOCEAN_ACCESS_TOKEN", "HEROKU_API_KEY", "VERCEL_TOKEN", "NETLIFY_AUTH_TOKEN",
    }
)  # fmt: skip


def _undeclared_secrets(facts: _Facts) -> list[Finding]:
    """A secret-named variable sent over the network that the connector's documents never
    name: another platform's credential (``GITHUB_TOKEN`` in a weather connector) is high,
    any other name low (often the connector's own key, undocumented)."""
    declared = set(facts.declared)
    out: list[Finding] = []
    seen: set[str] = set()
    for path, line, ref, evidence in facts.sent_results:
        name = ref[1:]
        if not ref.startswith("$") or name in declared or name in seen:
            continue
        seen.add(name)
        known = name in _WELL_KNOWN_SECRETS
        out.append(
            Finding(
                "exfiltration",
                "high" if known else "low",  # low: an undocumented key of its own service
                path,
                line,
                f"sends ${name} over the network, a secret the connector never declares:"
                " list the keys it uses in connector.json (auth.service_keys) or its README",
                evidence,
            )
        )
    return out


def _platform_credentials(facts: _Facts) -> list[Finding]:
    """Cloud metadata or Kubernetes credentials read: in-platform clients authenticate this
    way, so a person checks where they go (sent elsewhere is critical, per file)."""
    out: list[Finding] = []
    seen: set[str] = set()
    for path, line, what in facts.platform_reads:
        if path not in seen:
            seen.add(path)
            out.append(
                Finding(
                    "credential-harvesting",
                    "medium",
                    path,
                    line,
                    f"reads {what}: clients running on that platform authenticate this way;"
                    " held so a person checks where they go",
                    what,
                )
            )
    return out


def _environment_sent_elsewhere(facts: _Facts) -> list[Finding]:
    """A file sends what another file's function returns, and that is the whole environment
    (``from .diag import collect; requests.post(url, json=collect())``)."""
    returning = set(facts.env_returns)
    out: list[Finding] = []
    for path, line, ref, evidence in facts.sent_results:
        if ref.startswith("$"):
            continue  # a variable's value (_undeclared_secrets)
        for module, name in _definitions(path, ref):
            if (module, name) in returning:
                out.append(
                    Finding(
                        "exfiltration",
                        "critical",
                        path,
                        line,
                        f"sends {name} of {module} (or what it returns): the whole environment",
                        evidence,
                    )
                )
                break
    return out


def _definitions(path: str, ref: str) -> list[tuple[str, str]]:
    """Where ``ref`` (``.util.collect``, ``cli_aos.x.util.collect``, as imported by ``path``)
    may be defined: a module's file and the function's name."""
    folders = path.split("/")[:-1]
    if ref.startswith("."):
        level = len(ref) - len(ref.lstrip("."))
        if level > len(folders) + 1:
            return []
        base = folders[: len(folders) - level + 1]
        parts = ref[level:].split(".")
    else:
        parts = ref.split(".")
        if parts[0] not in folders:
            return []
        base = folders[: folders.index(parts[0])]
    *module, name = parts
    if not name:
        return []
    where = "/".join([*base, *module])
    return [(f"{where}.py", name), (f"{where}/__init__.py", name)]


def _is_finding_of(finding: Finding, path: str) -> bool:
    return (
        finding.file == path
        and finding.severity in SEVERITIES
        and type(finding.line) is int
        and all(isinstance(v, str) for v in (finding.rule, finding.message, finding.evidence))
    )


def _is_use_of(use: CapabilityUse, path: str) -> bool:
    return (
        use.file == path
        and type(use.line) is int
        and use.capability in CAPABILITIES
        and isinstance(use.evidence, str)
    )


def is_scan_record(text: str, path: str) -> bool:
    """Whether ``text`` is what a scan learned about file ``path`` (checked before keeping it)."""
    try:
        _Facts.from_json(text, path)
    except ValueError:
        return False
    return len(text) <= MAX_RECORD_CHARS


@functools.cache
def _code_fingerprint() -> bytes:
    """The digest of the scanner's modules (and the key detector it shares with ``pack``)
    and of the analysers' versions (once per process).

    The interpreter counts too: its ``ast`` decides what parses (``type X = int`` is a
    syntax error before Python 3.12), so hosts on two Pythons never share entries.
    """
    digest = hashlib.sha256(f"argent-marketplace=={__version__}".encode())
    digest.update(f"{sys.implementation.name} {sys.version}".encode())
    package = Path(__file__).parent.parent / "package"
    for source in [*sorted(Path(__file__).parent.glob("*.py")), package / "pem.py"]:
        digest.update(source.name.encode() + b"\0" + source.read_bytes())
    for dist in ("bandit", "detect-secrets"):
        digest.update(f"{dist}=={metadata.version(dist)}".encode())
    return digest.digest()


class PackageScanner:
    """Implements :class:`argent_marketplace.publish.scan.Scanner` with every rule family.

    Args:
        policy: Severity overrides, allowances and bounds.
        use_bandit: Run bandit's checks (off only to measure their cost).
        cache_files: Remember what this many files (by path and sha256) contributed,
            so that a file seen before is not analysed again (0: no cache). The
            server's scanner keeps one: new versions mostly repeat their files.
    """

    def __init__(
        self, policy: Policy = DEFAULT_POLICY, *, use_bandit: bool = True, cache_files: int = 0
    ) -> None:
        self.policy = policy
        self.use_bandit = use_bandit
        self.cache: LruCache[tuple[str, bytes], _Facts] | None = (
            LruCache(cache_files) if cache_files > 0 else None
        )

    @classmethod
    def from_environment(cls) -> PackageScanner:
        """The server's scanner: the policy file named by ``ARGENT_MARKETPLACE_SCAN_POLICY``.

        Raises:
            PolicyError: The named policy file is unusable.
        """
        return cls(policy_from_env(), cache_files=SERVER_CACHE_FILES)

    def scan(
        self,
        files: Mapping[str, bytes],
        permissions: tuple[str, ...],
        context: ScanContext | None = None,
    ) -> list[Finding]:
        """Findings for ``files`` (path -> content) given the declared ``permissions``."""
        return self.report(files, permissions, context).findings

    def report(
        self,
        files: Mapping[str, bytes],
        permissions: tuple[str, ...],
        context: ScanContext | None = None,
    ) -> ScanReport:
        """The findings, inferred capabilities and verdict of one package."""
        # A scan allocates a syntax tree per file and frees it by reference counting;
        # the cycle collector would only walk the rest of the process's heap meanwhile
        # (in a server, a third of the parse time). Paused for the scan, not longer.
        with _scan_lock, _collector_paused():
            return self._report(files, permissions, context)

    def _report(
        self,
        files: Mapping[str, bytes],
        permissions: tuple[str, ...],
        context: ScanContext | None,
    ) -> ScanReport:
        started = time.perf_counter()
        context = context or ScanContext()
        deadline = Deadline(self.policy.time_budget_seconds)
        facts = _Facts()
        if context.fingerprint is not None and context.fingerprint != self.fingerprint:
            # Records of another release or policy: not ours to trust or to add to.
            context = replace(context, known=MappingProxyType({}), learned=None)
        sizes = {**{p: len(d) for p, d in files.items()}, **context.sizes}
        facts.findings += file_findings(files, sizes, permissions, self.policy)
        current = ""
        try:
            for current in sorted(files):
                deadline.check()
                facts.add(self._known_or_new(current, files[current], context, deadline))
        except BudgetExceeded as exc:
            facts.findings.append(
                Finding(
                    "scan-budget-exceeded",
                    "medium",
                    current,
                    0,
                    f"{exc.message}; the rest of the package needs a human review",
                    "",
                )
            )
        facts.findings += self._correlate(facts)
        manifest = files.get(_MANIFEST, b"").decode("utf-8", "replace")
        facts.findings += capability_findings(facts.uses, permissions, manifest)
        facts.findings += command_mode_findings(files)
        facts.findings += self._names(context, manifest)
        facts.findings += [
            Finding("not-scanned", "medium", p, 0, "over the scan budget; needs a human review", "")
            for p in context.unscanned
        ]
        findings = sort_findings(self.policy.apply(facts.findings))
        capabilities: dict[str, list[CapabilityUse]] = {}
        for use in facts.uses:
            capabilities.setdefault(use.capability, []).append(use)
        return ScanReport(
            findings, capabilities, verdict(findings), len(files), time.perf_counter() - started
        )

    @functools.cached_property
    def fingerprint(self) -> str:
        """Names what a file's analysis depends on besides its path and bytes.

        The scanner's own code and release, bandit's and detect-secrets' versions, the
        Python that parses (:func:`_code_fingerprint`) and the policy: any change makes
        every entry of the shared scan cache unreachable, so a rule fixed in a release
        applies to files scanned before it.
        """
        policy = repr((self.policy, self.use_bandit)).encode()
        return hashlib.sha256(_code_fingerprint() + policy).hexdigest()

    # -- per file -----------------------------------------------------------------------
    def _known_or_new(
        self, path: str, data: bytes, context: ScanContext, deadline: Deadline
    ) -> _Facts:
        """A file's facts from the shared cache's record, else analysed (and learned)."""
        record = context.known.get(path)
        if record is not None:
            try:
                return _Facts.from_json(record, path)
            except ValueError:
                log.warning("unreadable scan cache record for %s: analysed again", path)
        facts, complete = self._file_facts(path, data, deadline)
        if complete and context.learned is not None:
            record = facts.to_json()
            if len(record) <= MAX_RECORD_CHARS:
                context.learned[path] = record
        return facts

    def _file_facts(self, path: str, data: bytes, deadline: Deadline) -> tuple[_Facts, bool]:
        """What one file contributes, from the cache when its path and bytes were seen.

        Also whether the analysis was complete (a file the scanner failed on is not
        remembered: the next scan tries again).
        """
        if self.cache is None:
            facts = _Facts()
            return facts, self._file(path, data, facts, deadline)
        key = (path, hashlib.sha256(data).digest())
        cached = self.cache.get(key)
        if cached is not None:
            return cached, True
        facts = _Facts()
        complete = self._file(path, data, facts, deadline)
        if complete:
            self.cache.put(key, facts)
        return facts, complete

    def _file(self, path: str, data: bytes, facts: _Facts, deadline: Deadline) -> bool:
        """Analyse one file into ``facts``; False when the scanner failed on it (not cached)."""
        try:
            if path.endswith(".py"):
                self._python(path, data, facts, deadline)
            elif is_text(data):
                self._text(path, data.decode("utf-8", "replace"), facts)
        except BudgetExceeded:
            raise
        except RecursionError:
            facts.findings.append(
                Finding("scanner-evasion", "high", path, 0, "nesting too deep to analyse", "")
            )
        except Exception:
            log.exception("scanner failed on %s", path)
            facts.findings.append(
                Finding(
                    "scan-error",
                    "medium",
                    path,
                    0,
                    "the scanner failed on this file; it needs a human review",
                    "",
                )
            )
            return False
        return True

    def _python(self, path: str, data: bytes, facts: _Facts, deadline: Deadline) -> None:
        install_time = path == "setup.py" or path.endswith("/setup.py")
        report = analyse_python(path, data, self.policy, deadline, install_time=install_time)
        facts.findings += report.findings
        facts.uses += report.capabilities
        facts.credential_reads += [
            (path, line, what, sent) for line, what, sent in report.credential_reads
        ]
        facts.env_escapes += [(path, line) for line in report.env_escapes]
        facts.sent_results += [(path, line, ref, ev) for line, ref, ev in report.sent_results]
        facts.env_returns += [(path, name) for name in report.env_returns]
        facts.platform_reads += [(path, line, what) for line, what in report.platform_reads]
        if not report.text:
            return
        text = report.text[: self.policy.max_text_bytes]
        facts.findings += unicode_findings(path, text, code=True)
        facts.findings += find_secrets(path, text)
        if report.bandit_calls and self.use_bandit:
            facts.findings += bandit_findings(
                path,
                report.bandit_imports,
                report.bandit_calls,
                report.text,
                quoted=report.quoted_shell,
            )

    def _text(self, path: str, text: str, facts: _Facts) -> None:
        text = text[: self.policy.max_text_bytes]
        name = path.rsplit("/", 1)[-1]
        code = path.endswith(_CODE_SUFFIXES) or is_shell_script(path, text)
        facts.findings += unicode_findings(path, text, code=code)
        facts.findings += find_secrets(path, text)
        if is_shell_script(path, text):
            found, reads, network = shell_findings(path, text)
            facts.findings += found
            facts.credential_reads += [(path, line, what, False) for line, what in reads]
            facts.shell_network = facts.shell_network or network
        if name == "pyproject.toml":
            facts.findings += pyproject_findings(path, text)
        elif name == "setup.cfg":
            facts.findings += setup_cfg_findings(path, text)
        if path in AGENT_TEXT_FILES:
            facts.findings += agent_text_findings(path, text)
        if (
            path in AGENT_TEXT_FILES
            or name.endswith((".md", ".example"))
            or name == "permissions.json"
        ):
            facts.declared += sorted(set(_VARIABLE_NAME.findall(text)))[:_MAX_DECLARED]

    # -- package level --------------------------------------------------------------------
    @staticmethod
    def _correlate(facts: _Facts) -> list[Finding]:
        network = facts.shell_network or any(u.capability == "network" for u in facts.uses)
        out: list[Finding] = []
        for path, line, what, sent in facts.credential_reads:
            if sent or network:
                message = (
                    f"reads {what} and sends it over the network"
                    if sent
                    else f"reads {what} in a package that uses the network: exfiltration"
                )
                out.append(Finding("credential-harvesting", "critical", path, line, message, what))
            else:
                out.append(
                    Finding("credential-harvesting", "high", path, line, f"reads {what}", what)
                )
        out += _environment_sent_elsewhere(facts)
        out += _platform_credentials(facts)
        out += _undeclared_secrets(facts)
        if network:
            for path, line in facts.env_escapes[:3]:
                out.append(
                    Finding(
                        "exfiltration",
                        "medium",
                        path,
                        line,
                        "hands the whole environment to code the scanner cannot follow, in a "
                        "package that uses the network",
                        "",
                    )
                )
        return out

    @staticmethod
    def _names(context: ScanContext, manifest: str) -> list[Finding]:
        name = context.name
        if name is None:
            try:
                doc = json.loads(manifest) if manifest else {}
            except ValueError:
                doc = {}
            name = doc.get("name") if isinstance(doc, dict) else None
        if not isinstance(name, str) or not context.existing_names:
            return []
        hit = typosquat_of(name, context.existing_names)
        if hit is None:
            return []
        other, how, severity = hit
        line = manifest.find(f'"{name}"')
        return [
            Finding(
                "typosquatting",
                severity,
                _MANIFEST,
                manifest.count("\n", 0, line) + 1 if line >= 0 else 0,
                f"the name {name!r} {how} {other!r}, a package of another author",
                name,
            )
        ]
