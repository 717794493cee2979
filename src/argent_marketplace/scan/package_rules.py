"""Rules across a package's files: what one file reads or collects and another sends.

Each file's :class:`~.facts.Facts` are gathered (or read back from the shared cache),
then correlated here: a credential store read in a package that uses the network, the
environment returned by one module and sent by another, platform credentials read,
secret-named variables the connector's documents never name.
"""

from __future__ import annotations

import re

from argent_marketplace.scan.facts import Facts
from argent_marketplace.scan.findings import Finding

__all__ = ["DOCUMENTING", "correlate", "declared_names"]

DOCUMENTING = frozenset({"README.md", "connector.json", "argent.plugin.json", "permissions.json"})
"""The files (at the package's top) whose variable names count as declared: the ones the
operator sees, not any note deep in the package."""

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


# Names the same tools read interchangeably: declaring one declares the other.
_ALIAS_GROUPS = (
    {"GITHUB_TOKEN", "GH_TOKEN"},
    {"HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"},
    {"NPM_TOKEN", "NODE_AUTH_TOKEN"},
    {"PYPI_TOKEN", "PYPI_API_TOKEN", "TWINE_PASSWORD"},
)
_ALIASES = {name: frozenset(group) for group in _ALIAS_GROUPS for name in group}
# Each well-known credential's own API hosts (sent there: medium, not high).
_PLATFORM_OF = {
    name: re.compile(pattern)
    for names, pattern in (
        (("GITHUB_TOKEN", "GH_TOKEN"), r"(?:^|\.)github\.com$"),
        (("GITLAB_TOKEN",), r"(?:^|\.)gitlab\.com$"),
        (("AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"), r"(?:^|\.)amazonaws\.com$"),
        (("OPENAI_API_KEY",), r"^api\.openai\.com$"),
        (("ANTHROPIC_API_KEY",), r"^api\.anthropic\.com$"),
        (("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"), r"(?:^|\.)huggingface\.co$"),
        (("NPM_TOKEN", "NODE_AUTH_TOKEN"), r"^registry\.npmjs\.org$"),
        (("PYPI_TOKEN", "PYPI_API_TOKEN", "TWINE_PASSWORD"), r"(?:^|\.)pypi\.org$"),
        (("GOOGLE_API_KEY",), r"(?:^|\.)googleapis\.com$"),
        (("AZURE_CLIENT_SECRET",), r"^login\.microsoftonline\.com$"),
        (("CLOUDFLARE_API_TOKEN",), r"^api\.cloudflare\.com$"),
        (("DIGITALOCEAN_ACCESS_TOKEN",), r"^api\.digitalocean\.com$"),
        (("HEROKU_API_KEY",), r"^api\.heroku\.com$"),
        (("VERCEL_TOKEN",), r"^api\.vercel\.com$"),
        (("NETLIFY_AUTH_TOKEN",), r"^api\.netlify\.com$"),
        (("DOCKER_PASSWORD",), r"(?:^|\.)docker\.(?:io|com)$"),
    )
    for name in names
}


def declared_names(text: str) -> list[str]:
    """The variable names (``GITHUB_TOKEN``) a document of the package mentions."""
    return sorted(set(_VARIABLE_NAME.findall(text)))[:_MAX_DECLARED]


def correlate(facts: Facts) -> list[Finding]:
    """The findings only the whole package shows (the facts of all its files)."""
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
            out.append(Finding("credential-harvesting", "high", path, line, f"reads {what}", what))
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


def _undeclared_secrets(facts: Facts) -> list[Finding]:
    """A secret-named variable sent over the network that the connector never declares
    (``connector.json``, the manifest, the top-level README, ``permissions.json``):
    another platform's credential (``GITHUB_TOKEN`` in a weather connector) is high, or
    medium when it goes to that platform's own API (a gist is a way out too); any other
    name low (often the connector's own key, undocumented)."""
    declared = set(facts.declared)
    out: list[Finding] = []
    seen: set[str] = set()
    for path, line, name, host, evidence in _sent_variables(facts):
        aliases = _ALIASES.get(name, frozenset()) | {name}
        if aliases & declared or name in seen:
            continue
        seen.add(name)
        severity = "low"  # an undocumented key of its own service, most likely
        if name in _WELL_KNOWN_SECRETS:
            own = _PLATFORM_OF.get(name)
            severity = "medium" if own and own.search(host) else "high"
        out.append(
            Finding(
                "exfiltration",
                severity,
                path,
                line,
                f"sends ${name} over the network, a secret the connector never declares:"
                " list the keys it uses in connector.json (auth.service_keys) or its README",
                evidence,
            )
        )
    return out


def _sent_variables(facts: Facts) -> list[tuple[str, int, str, str, str]]:
    """``(path, line, variable, host, evidence)`` for each secret-named variable sent: read
    in the sending file, or held by a name another module of the package exports
    (``from .config import TOKEN``)."""
    exports: dict[tuple[str, str], list[str]] = {}
    for module, name, variable in facts.secret_exports:
        exports.setdefault((module, name), []).append(variable)
    out: list[tuple[str, int, str, str, str]] = []
    for path, line, ref, evidence in facts.sent_results:
        target, _, host = ref.partition(">")
        if target.startswith("$"):
            out.append((path, line, target[1:], host, evidence))
            continue
        for module, name in _definitions(path, target):
            for variable in exports.get((module, name), [])[:8]:
                out.append((path, line, variable, host, evidence))
    return out


def _platform_credentials(facts: Facts) -> list[Finding]:
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


def _environment_sent_elsewhere(facts: Facts) -> list[Finding]:
    """A file sends what another file's function returns, and that is the whole environment
    (``from .diag import collect; requests.post(url, json=collect())``)."""
    returning = set(facts.env_returns)
    out: list[Finding] = []
    for path, line, sent, evidence in facts.sent_results:
        ref = sent.partition(">")[0]  # without the host it went to
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
