"""Rules for files that are not Python: shell scripts, build metadata and what the agent reads.

* Shell scripts (``*.sh``, a ``#!`` line naming a shell, ``Makefile``):
  download-and-execute, reverse shells, decoded scripts, environment
  exfiltration, persistence, credential access, suspicious destinations.
* ``pyproject.toml``: a build backend outside the well-known ones or in-tree
  (``backend-path``), build requirements fetched from URLs, entry-point groups
  that other tools load automatically, console scripts that shadow common commands,
  and dependencies one typo away from a popular package (typosquatting).
* ``README.md``, ``connector.json`` and ``argent.plugin.json`` (text the agent and
  the catalog read): prompt injection aimed at the agent, hidden HTML comments
  carrying instructions, suspicious destinations.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import html
import json
import re
import tomllib
from collections.abc import Callable, Iterator
from typing import Any

from argent_marketplace.scan.findings import Finding, evidence_of
from argent_marketplace.scan.names import near_popular_dependency
from argent_marketplace.scan.patterns import (
    credential_target,
    destination_kind,
    is_shortener,
    persistence_command,
    persistence_target,
    shell_threats,
    urls_in,
)

__all__ = [
    "AGENT_TEXT_FILES",
    "agent_text_findings",
    "is_shell_script",
    "pyproject_findings",
    "setup_cfg_findings",
    "shell_findings",
]

AGENT_TEXT_FILES = frozenset({"README.md", "connector.json", "argent.plugin.json"})
_SHELL_SUFFIXES = (".sh", ".bash", ".zsh", ".ksh", ".command")
_SHEBANG = re.compile(r"#!\s*\S*(?:/|env\s+)(?:ba|z|da|k)?sh\b")
_NETWORK_TOOLS = re.compile(r"\b(?:curl|wget|nc|ncat|socat|scp|rsync|ftp)\b")
_REDIRECT = re.compile(r">>?\s*(\S+)")

_INJECTION = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        r"\b(?:ignore|disregard|forget|override|bypass)\b[^.\n]{0,40}\b(?:all|any|the|your|"
        r"previous|prior|above|earlier|preceding|system|developer|original)\b[^.\n]{0,40}\b"
        r"(?:instructions?|prompts?|rules|directives|guidelines|guardrails|safety)\b",
        r"\b(?:you are now|act as|pretend (?:to be|you are))\b[^.\n]{0,20}\b(?:DAN|"
        r"unrestricted|unfiltered|jailbroken|in developer mode|no longer bound)",
        r"\b(?:developer mode|jailbreak mode|do anything now)\b",
        r"\b(?:reveal|print|show|output|repeat|leak)\b[^.\n]{0,30}\b(?:system prompt|hidden "
        r"instructions|initial instructions)\b",
        r"\b(?:do not|don't|never)\b[^.\n]{0,30}\b(?:tell|inform|mention|reveal|alert|notify|"
        r"ask)\b[^.\n]{0,20}\b(?:the user|the human|the operator|anyone)\b",
        r"\b(?:send|upload|post|forward|exfiltrate|transmit|leak)\b[^.\n]{0,80}\b(?:api[ _-]?keys?"
        r"|credentials?|secrets?|tokens?|passwords?|private keys?|ssh keys?|\.env|environment "
        r"variables|license)\b[^.\n]{0,80}\bto\b[^.\n]{0,40}(?:https?://|webhook|\w@\w)",
        r"(?<!`)(?:<\|[a-z_]{2,24}\|>|\[/?INST\]|<<SYS>>|</?system>|<start_of_turn>|"
        r"<end_of_turn>)(?!`)",
        r"\bnew (?:system )?instructions?\s*:",
        # Steps kept from the person the agent works for.
        r"\btreat\b[^.\n]{0,40}\bas (?:already )?(?:approved|authori[sz]ed|confirmed|"
        r"pre-approved)\b",
        r"\b(?:mention|report|say|show)\b[^.\n]{0,10}\bonly\b[^.\n]{0,60}\bin your "
        r"(?:answer|reply|response|summary)\b",
        r"\bkeep\b[^.\n]{0,40}\bout of (?:your|any) (?:replies|answers?|responses?|"
        r"messages?|summar(?:y|ies))\b",
        r"\b(?:does not|doesn't|do not|don't|need not|no) needs? to (?:be )?(?:confirm(?:ed)?|"
        r"check(?:ed)?|mention(?:ed)?|brought up|bring it up|ask(?:ed)?)\b[^.\n]{0,40}\b(?:user|"
        r"person|human|operator|them)\b",
        # A secret store or the environment, to be handed over by the agent.
        r"(?:license\.json|argent\.json|\.ssh/|\.aws/|\.netrc|`env`|id_rsa|id_ed25519)"
        r"[^.\n]{0,100}\b(?:pass|send|include|paste|attach|upload|post)\b[^.\n]{0,20}"
        r"\b(?:its|the|their|that)\b[^.\n]{0,12}\b(?:contents?|output)\b",
        r"\b(?:pass|send|include|paste|attach|upload|post)\b[^.\n]{0,30}\b(?:contents?|"
        r"output) of\b[^.\n]{0,30}(?:license\.json|argent\.json|\.ssh/|\.aws/|\.netrc|`env`|"
        r"id_rsa|id_ed25519)",
    )
)
# HTML comments and Markdown's link-reference comments (``[//]: # (...)``): unrendered.
_COMMENT = re.compile(
    r"<!--(.*?)-->|^[ \t]*\[[^\]\n]*\]:[ \t]*(?:#|<>)[ \t]*[(\"']([^\n]*)[)\"'][ \t]*$",
    re.DOTALL | re.MULTILINE,
)
_AGENT_WORDS = re.compile(
    r"\b(?:assistant|agent|model|llm|ai|claude|gpt|system prompt|you must|you should)\b",
    re.IGNORECASE,
)
_INVISIBLE = re.compile("[\u200b-\u200f\u2060-\u2064\ufeff\U000e0000-\U000e007f]")

_KNOWN_BACKENDS = frozenset(
    {
        "setuptools.build_meta",
        "setuptools.build_meta:__legacy__",
        "hatchling.build",
        "flit_core.buildapi",
        "poetry.core.masonry.api",
        "pdm.backend",
        "pdm.pep517.api",
        "maturin",
        "scikit_build_core.build",
        "mesonpy",
        "whey",
        "uv_build",
    }
)
_AUTOLOADED_GROUPS = frozenset(
    {
        "pytest11",
        "distutils.commands",
        "distutils.setup_keywords",
        "egg_info.writers",
        "setuptools.finalize_distribution_options",
        "setuptools.file_finders",
        "console_scripts.hooks",
    }
)
_COMMON_COMMANDS = frozenset(
    [
        "ls",
        "cat",
        "cp",
        "mv",
        "rm",
        "sudo",
        "su",
        "python",
        "python3",
        "pip",
        "pip3",
        "git",
        "ssh",
        "scp",
        "curl",
        "wget",
        "bash",
        "sh",
        "zsh",
        "node",
        "npm",
        "npx",
        "argent",
        "op",
        "gh",
        "docker",
        "kubectl",
        "aws",
        "gcloud",
        "az",
        "brew",
        "apt",
        "make",
        "open",
        "env",
        "ps",
        "top",
        "kill",
        "chmod",
        "chown",
        "find",
        "grep",
        "sed",
        "awk",
        "tar",
        "unzip",
        "which",
    ]
)


def is_shell_script(path: str, text: str) -> bool:
    """A shell script by name, by ``#!`` line, or a Makefile (whose recipes are shell)."""
    name = path.rsplit("/", 1)[-1]
    return (
        path.endswith(_SHELL_SUFFIXES)
        or name in ("Makefile", "makefile", "GNUmakefile")
        or name.endswith(".mk")
        or bool(_SHEBANG.match(text[:200]))
    )


def _lines(text: str) -> Iterator[tuple[int, str]]:
    for number, line in enumerate(text.split("\n"), 1):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            yield number, line


def shell_findings(path: str, text: str) -> tuple[list[Finding], list[tuple[int, str]], bool]:
    """Findings of a shell script, the credential stores it reads, and whether it uses the network.

    Returns:
        ``(findings, [(line, what it reads)], uses_network)``; the credential reads are
        correlated with the package's network use by the scanner.
    """
    out: list[Finding] = []
    reads: list[tuple[int, str]] = []
    network = False
    for number, line in _lines(text):
        low = line.lower()
        network = network or bool(_NETWORK_TOOLS.search(low))
        for rule, severity, message, _ in shell_threats(line):
            if rule != "runtime-install":  # `pip install -e .` in a dev script is normal
                out.append(Finding(rule, severity, path, number, message, evidence_of(line)))
        what = credential_target(line)
        if what:
            reads.append((number, what))
        target = next((m.group(1) for m in _REDIRECT.finditer(line)), "")
        persisted = persistence_target(target) if target else None
        if persisted or persistence_command(line):
            out.append(
                Finding(
                    "persistence",
                    "high",
                    path,
                    number,
                    f"installs something that starts by itself ({persisted or 'scheduler'})",
                    evidence_of(line),
                )
            )
        out.extend(_destinations(path, number, line, "high", "medium"))
    return out, reads, network


def _destinations(path: str, number: int, line: str, strong: str, weak: str) -> list[Finding]:
    """Drop boxes (paste sites, catchers, tunnels, raw IPs): ``strong``; shorteners: ``weak``."""
    out: list[Finding] = []
    for url in urls_in(line):
        kind = destination_kind(url)
        if kind:
            level = weak if is_shortener(kind) else strong
            out.append(
                Finding(
                    "suspicious-destination",
                    level,
                    path,
                    number,
                    f"points at {kind}: {url[:80]}",
                    evidence_of(line),
                )
            )
    return out


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield str(k)
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


_CODE_SPAN = re.compile(r"`[^`\n]{1,300}`")


def _injection(text: str, *, spans: bool = False) -> re.Match[str] | None:
    # Inline code spans often quote things (a safety note's `ignore previous
    # instructions`): read without them first; with them, a hit is reported lower.
    clean = " ".join(_INVISIBLE.sub("", text if spans else _CODE_SPAN.sub(" ", text)).split())
    for pattern in _INJECTION:
        m = pattern.search(clean)
        if m:
            return m
    return None


def _injection_in_lines(text: str, *, spans: bool = False) -> tuple[int, str] | None:
    """The first line (1-based) with an injection, read without invisible characters.

    Then each paragraph as one line, for a sentence wrapped over several.
    """
    for number, line in enumerate(text.split("\n"), 1):
        m = _injection(line, spans=spans)
        if m:
            return number, m.group()
    offset = 0
    for paragraph in text.split("\n\n"):
        if "\n" in paragraph.strip():
            m = _injection(paragraph, spans=spans)
            if m:
                return text.count("\n", 0, offset) + 1, m.group()
        offset += len(paragraph) + 2
    return None


def _line_with(text: str, needle: str) -> int:
    index = text.find(needle[:40])
    return text.count("\n", 0, index) + 1 if index >= 0 else 0


# Letters of other scripts that read as Latin ones: "\u0456gnore" (a Cyrillic i) is "ignore".
_LOOK_ALIKES = str.maketrans(
    "аеорсухіјѕԁɡոսԛѵԝАВЕКМНОРСТХІЈЅοαιντκρΑΒΕΖΗΙΚΜΝΟΡΤΥΧ",
    "aeopcyxijsdgnuqvwABEKMHOPCTXIJSoaivtkpABEZHIKMNOPTYX",
)
_BASE64_RUN = re.compile(r"[A-Za-z0-9+/]{40,}={0,2}")


def _normalized(text: str) -> str:
    """The text as an agent understands it: entities decoded, look-alike letters mapped."""
    return html.unescape(text).translate(_LOOK_ALIKES)


def _encoded_injection(text: str) -> tuple[int, str] | None:
    """Instructions hidden in base64 runs ("decode this and carry it out")."""
    for n, m in enumerate(_BASE64_RUN.finditer(text)):
        if n >= 16:
            break
        with contextlib.suppress(ValueError, binascii.Error):
            decoded = base64.b64decode(m.group() + "=" * (-len(m.group()) % 4)).decode("utf-8")
            hit = _injection(_normalized(decoded))
            if hit:
                return text.count("\n", 0, m.start()) + 1, hit.group()
    return None


def agent_text_findings(path: str, text: str) -> list[Finding]:
    """Prompt injection and suspicious destinations in text the agent or catalog reads."""
    out: list[Finding] = []
    found = _injection_in_lines(text)
    if found is None:
        normal = _normalized(text)
        found = _injection_in_lines(normal) if normal != text else None
    if found is None:
        found = _encoded_injection(text)
    quoted = False
    if found is None:
        found = _injection_in_lines(text, spans=True)
        quoted = found is not None and not path.endswith(".json")
    if found is None and path.endswith(".json"):
        with contextlib.suppress(ValueError):
            for piece in _strings(json.loads(text)):
                m = _injection(piece)
                if m:
                    found = (_line_with(text, piece[:40]), m.group())
                    break
    if found is not None:
        out.append(
            Finding(
                "prompt-injection",
                "medium" if quoted else "high",
                path,
                found[0],
                "text addressed to the agent that tries to override its instructions"
                + (" (inside a code span: a quotation, or an order in disguise)" if quoted else ""),
                evidence_of(found[1]),
            )
        )
    for comment in _COMMENT.finditer(text):
        body = comment.group(1) or comment.group(2) or ""
        if _AGENT_WORDS.search(body) and len(body.split()) >= 5:
            out.append(
                Finding(
                    "prompt-injection",
                    "high",
                    path,
                    text.count("\n", 0, comment.start()) + 1,
                    "a hidden comment (HTML or Markdown) with instructions for the agent",
                    evidence_of(body),
                )
            )
            break
    strong, weak = ("medium", "low") if path.endswith(".json") else ("low", "low")
    for number, row in enumerate(text.split("\n"), 1):
        if "://" in row:
            out.extend(_destinations(path, number, row, strong, weak))
    return out


def _table(doc: dict[str, Any], *keys: str) -> dict[str, Any]:
    value: Any = doc
    for key in keys:
        value = value.get(key, {}) if isinstance(value, dict) else {}
    return value if isinstance(value, dict) else {}


def pyproject_findings(path: str, text: str) -> list[Finding]:
    """Build backends, entry points and dependencies of a ``pyproject.toml``."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return []
    out: list[Finding] = []

    def add(rule: str, severity: str, needle: str, message: str) -> None:
        line = _line_with(text, needle)
        source = text.split("\n")[line - 1] if line else needle
        out.append(Finding(rule, severity, path, line, message, evidence_of(source)))

    build = _table(doc, "build-system")
    backend = build.get("build-backend")
    if isinstance(backend, str) and backend not in _KNOWN_BACKENDS:
        add(
            "install-time-code",
            "high",
            "build-backend",
            f"custom build backend {backend!r} runs code when the package is installed",
        )
    if "backend-path" in build:
        add(
            "install-time-code",
            "high",
            "backend-path",
            "an in-tree build backend (backend-path) runs the package's own code at install",
        )
    for req in build.get("requires", []) if isinstance(build.get("requires"), list) else []:
        if isinstance(req, str) and ("://" in req or " @ " in req):
            add(
                "install-time-code",
                "high",
                req[:40],
                f"build requirement fetched from a URL: {req}",
            )
    project = _table(doc, "project")
    for group in _table(project, "entry-points"):
        if group in _AUTOLOADED_GROUPS:
            add(
                "install-time-code",
                "high",
                group,
                f"entry-point group {group!r} is loaded automatically by other tools",
            )
    for table in ("scripts", "gui-scripts"):
        for name in _table(project, table):
            if name in _COMMON_COMMANDS:
                add(
                    "persistence",
                    "high",
                    f"{name} =",
                    f"console script {name!r} shadows a common command",
                )
    deps = project.get("dependencies", [])
    for dep in deps if isinstance(deps, list) else []:
        if not isinstance(dep, str):
            continue
        if "://" in dep:
            add("install-time-code", "medium", dep[:40], f"dependency fetched from a URL: {dep}")
        near = near_popular_dependency(dep)
        if near:
            add(
                "typosquatting",
                "high",
                dep[:40],
                f"depends on {dep.split()[0]!r}, one typo away from the popular {near!r}",
            )
    _index_redirects(doc, add)
    for command in _table(_table(_table(doc, "tool"), "setuptools"), "cmdclass"):
        add(
            "install-time-code",
            "high",
            "cmdclass",
            f"a custom setuptools command ({command!r}) runs the package's code at install",
        )
    return out


_CFG_CMDCLASS = re.compile(r"^[ \t]*cmdclass[ \t]*=", re.MULTILINE)


def setup_cfg_findings(path: str, text: str) -> list[Finding]:
    """``cmdclass`` in a ``setup.cfg`` (``[options]``): a custom setuptools command."""
    found = _CFG_CMDCLASS.search(text)
    if found is None:
        return []
    line = text.count("\n", 0, found.start()) + 1
    return [
        Finding(
            "install-time-code",
            "high",
            path,
            line,
            "a custom setuptools command (cmdclass) runs the package's code at install",
            evidence_of(text.split("\n")[line - 1]),
        )
    ]


# Indexes run by the projects whose wheels they serve.
_KNOWN_INDEX = re.compile(r"https://(?:download\.pytorch\.org/|pypi\.nvidia\.com/|pypi\.org/)")


def _index_redirects(
    doc: dict[str, Any], add_finding: Callable[[str, str, str, str], None]
) -> None:
    """Installer settings that fetch dependencies from elsewhere than the index.

    ``[tool.uv.sources] requests = {url = ...}``, ``[[tool.uv.index]]``, Poetry's and
    PDM's sources: each replaces what ``pip install`` would fetch with what the URL
    serves, a popular name included. Whatever ArgentOS' installer honours today, an
    author has no use for them in a connector that declares its dependencies plainly.
    """
    tool = _table(doc, "tool")
    uv = _table(tool, "uv")
    for name, source in _table(uv, "sources").items():
        entries = source if isinstance(source, list) else [source]
        for entry in entries:
            if isinstance(entry, dict) and ("url" in entry or "git" in entry or "index" in entry):
                target = entry.get("url") or entry.get("git") or entry.get("index")
                add_finding(
                    "install-time-code",
                    "high" if "index" not in entry else "medium",
                    f"{name} =",
                    f"dependency {name!r} is fetched from {str(target)[:80]} instead of the index",
                )
    indexes = [
        entry
        for found in (uv.get("index"), _table(tool, "poetry").get("source"),
                      _table(tool, "pdm").get("source"))
        if isinstance(found, list)
        for entry in found
    ]  # fmt: skip
    for index in indexes if isinstance(indexes, list) else []:
        if isinstance(index, dict) and "url" in index and not _KNOWN_INDEX.match(str(index["url"])):
            add_finding(
                "install-time-code",
                "medium",  # PyTorch's CPU wheels and kin: common, but a person should look
                str(index["url"])[:40],
                f"dependencies come from another package index: {str(index['url'])[:80]}",
            )
    for key in ("extra-index-url", "index-url", "find-links"):
        if key in _table(uv, "pip") or key.replace("-", "_") in uv:
            add_finding("install-time-code", "high", key, f"an installer option {key!r} is set")
