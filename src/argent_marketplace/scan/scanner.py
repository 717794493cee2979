"""The scanner: steps 3 and 4 of the publish pipeline, and the local gate.

For one package (path -> bytes), within the policy's time budget:

1. File rules: startup hooks, standard-library shadowing, bundled binaries,
   opaque blobs (:mod:`.files`).
2. Per file, by kind: Python (:mod:`.python_rules`, then bandit on the files
   that call what bandit checks), shell scripts, ``pyproject.toml``, the text the
   agent reads (:mod:`.text_rules`); hidden Unicode and hard-coded secrets
   (detect-secrets) in every text file.
3. Package-level correlation (:mod:`.package_rules`) of what each file learned
   (:mod:`.facts`): a credential store read in a package that uses the network is
   exfiltration (critical); the environment collected by one module and sent by
   another; platform credentials; other platforms' secrets sent undeclared.
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
import sys
import threading
import time
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field, replace
from importlib import metadata
from pathlib import Path
from types import MappingProxyType

from argent_marketplace import __version__
from argent_marketplace.scan.audit import capability_findings, command_mode_findings
from argent_marketplace.scan.bandit_rules import bandit_findings
from argent_marketplace.scan.cache import LruCache
from argent_marketplace.scan.errors import BudgetExceeded
from argent_marketplace.scan.facts import MAX_RECORD_CHARS, Facts
from argent_marketplace.scan.files import file_findings, is_text
from argent_marketplace.scan.findings import (
    CapabilityUse,
    Finding,
    sort_findings,
)
from argent_marketplace.scan.names import typosquat_of
from argent_marketplace.scan.package_rules import DOCUMENTING, correlate, declared_names
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
            same :meth:`PackageScanner.fingerprint` (``Facts`` JSON, from the server's
            shared scan cache): such files are not analysed again.
        learned: When given, filled with path -> ``Facts`` JSON of every file this scan
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
        self.cache: LruCache[tuple[str, bytes], Facts] | None = (
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
        facts = Facts()
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
        facts.findings += correlate(facts)
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
    ) -> Facts:
        """A file's facts from the shared cache's record, else analysed (and learned)."""
        record = context.known.get(path)
        if record is not None:
            try:
                return Facts.from_json(record, path)
            except ValueError:
                log.warning("unreadable scan cache record for %s: analysed again", path)
        facts, complete = self._file_facts(path, data, deadline)
        if complete and context.learned is not None:
            record = facts.to_json()
            if len(record) <= MAX_RECORD_CHARS:
                context.learned[path] = record
        return facts

    def _file_facts(self, path: str, data: bytes, deadline: Deadline) -> tuple[Facts, bool]:
        """What one file contributes, from the cache when its path and bytes were seen.

        Also whether the analysis was complete (a file the scanner failed on is not
        remembered: the next scan tries again).
        """
        if self.cache is None:
            facts = Facts()
            return facts, self._file(path, data, facts, deadline)
        key = (path, hashlib.sha256(data).digest())
        cached = self.cache.get(key)
        if cached is not None:
            return cached, True
        facts = Facts()
        complete = self._file(path, data, facts, deadline)
        if complete:
            self.cache.put(key, facts)
        return facts, complete

    def _file(self, path: str, data: bytes, facts: Facts, deadline: Deadline) -> bool:
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

    def _python(self, path: str, data: bytes, facts: Facts, deadline: Deadline) -> None:
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
        facts.secret_exports += [(path, name, var) for name, var in report.secret_exports]
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

    def _text(self, path: str, text: str, facts: Facts) -> None:
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
        if path in DOCUMENTING:
            facts.declared += declared_names(text)

    # -- package level --------------------------------------------------------------------

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
