"""Hard-coded secrets, found by Yelp's detect-secrets (its plugins and heuristic filters).

We use the plugins as a library, line by line, without its global settings (so
concurrent scans in one server process do not share state) and never with
verification (which would send the secret to its provider). A first pass runs
each plugin's own regexes over the whole file, so only lines that can hold a
secret reach the plugins.

Provider-specific tokens (AWS, GitHub, Slack, Stripe, OpenAI, private keys...)
are ``high``: publishing one leaks it, and a connector must take its keys from
the operator's configuration. A secret-sounding assignment (``password = "..."``)
or a JWT is ``medium``: often a test fixture, so a person looks. The entropy-only
plugins are off: they fire on icons and hashes.
"""

from __future__ import annotations

import functools
import operator
import re
from dataclasses import dataclass
from typing import Any

from argent_marketplace.package.pem import holds_private_key
from argent_marketplace.scan.findings import Finding

__all__ = ["find_secrets"]

_MEDIUM = frozenset({"KeywordDetector", "JwtTokenDetector"})
_OFF = frozenset({"Base64HighEntropyString", "HexHighEntropyString", "IPPublicDetector"})
_PLACEHOLDER = re.compile(
    r"example|dummy|placeholder|changeme|change_me|your|xxxx|redacted|fake|sample|"
    r"<|>|\*\*\*|\.\.\.|\$\{|\{\{|%\(|^(?:password|passwd|secret|token|pass|pwd|none|null|test|tiger|hunter2|a%20secret)$",
    re.IGNORECASE,
)
_LOCAL_HOST = re.compile(r"@(?:localhost|127\.\d+\.\d+\.\d+|0\.0\.0\.0|\[::1\])(?:[:/]|$)")
_ENV_NAME = re.compile(r"[A-Z][A-Z0-9_]+")
# Module paths, entry points and host names: `aos-1password = "cli_aos.onepassword.cli:main"`.
_DOTTED = re.compile(r"[\w-]+(?:\.[\w-]+)+(?::[\w.]+)?")
_KEYWORDS_IN_VALUE = re.compile(r"pass|secret|token|key", re.IGNORECASE)
_MAX_HITS = 200
_LINE_CHARS = 4000


@functools.cache
def _plugins() -> tuple[Any, ...]:
    from detect_secrets.core.plugins.util import (  # noqa: PLC0415 - loaded on first scan
        get_mapping_from_secret_type_to_class,
    )

    classes: list[Any] = list(get_mapping_from_secret_type_to_class().values())
    return tuple(cls() for cls in classes if cls.__name__ not in _OFF)


# What each plugin's patterns cannot match without, read off its denylist: (literals as
# written, literals in any case). A line holding none of a plugin's literals never reaches
# that plugin. Plugins without an entry run their own patterns over the text instead.
_GATES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "AWSKeyDetector": (("A3T", "ABIA", "ACCA", "AKIA", "ASIA"), ("aws",)),
    "ArtifactoryDetector": (("AKC", "AP"), ()),
    "AzureStorageKeyDetector": (("AccountKey=",), ()),
    "BasicAuthDetector": (("://",), ()),
    # (cloudant|cl|clou)(api)(key|pwd|pw|password|pass|token) or a *.cloudant.com URL
    "CloudantDetector": ((), ("key", "pw", "pass", "token", "cloudant")),
    "GitHubTokenDetector": (("ghp_", "gho_", "ghu_", "ghs_", "ghr_"), ()),
    "GitLabTokenDetector": (
        ("glpat-", "gldt-", "glft-", "glsoat-", "glrt-", "glcbt-", "glimt-", "glptt-",
         "glagent-", "gloas-", "GR1348941"), (),
    ),
    # (ibm|iam|cloud|...|nothing)(api)(key|pwd|password|pass|token)
    "IbmCloudIamDetector": ((), ("key", "pwd", "pass", "token")),
    "IbmCosHmacDetector": ((), ("secret",)),
    "JwtTokenDetector": (("eyJ",), ()),
    "KeywordDetector": ((), ("key", "pass", "pwd", "secret", "contrase")),
    "MailchimpDetector": (("-us",), ()),
    "NpmDetector": (("_authToken",), ()),
    "OpenAIDetector": (("T3BlbkFJ",), ()),
    "PrivateKeyDetector": (("PRIVATE KEY", "PuTTY"), ()),
    "PypiTokenDetector": (("pypi-Ag",), ()),
    "SendGridDetector": (("SG.",), ()),
    "SlackDetector": ((), ("xox", "hooks.slack.com")),
    # (softlayer|sl)(api)(key|pwd|password|pass|token) or an api.softlayer.com URL
    "SoftlayerDetector": ((), ("key", "pwd", "pass", "token", "softlayer")),
    "SquareOAuthDetector": (("sq0csp-",), ()),
    "StripeDetector": (("k_live_",), ()),
    "TwilioKeyDetector": (("AC", "SK"), ()),
}  # fmt: skip
# The value these plugins capture, which their patterns cannot match without (same case
# rules as theirs): a line without one never reaches them (key-like words are common).
_VALUES: dict[str, re.Pattern[str]] = {
    "CloudantDetector": re.compile(r"[0-9a-f]{64}|[a-z]{24}", re.IGNORECASE),
    "IbmCloudIamDetector": re.compile(r"[a-zA-Z0-9_\-]{44}", re.IGNORECASE),
    "IbmCosHmacDetector": re.compile(r"[a-f0-9]{48}", re.IGNORECASE),
    "SoftlayerDetector": re.compile(r"[a-z0-9]{64}", re.IGNORECASE),
}
# Plugins with no literal to gate on, and the part of their pattern that starts with one:
# every match of theirs holds a match of this anchor (same character classes and flags),
# and a regex that starts with a literal is found by a fast scan, not tried at every
# position (0.2 ms against 2-5 ms per 150 KB).
_ANCHORS: dict[str, str] = {
    # [MNO][a-zA-Z\d_-]{23,25}\.[a-zA-Z\d_-]{6}\.[a-zA-Z\d_-]{27}
    "DiscordBotTokenDetector": r"\.[a-zA-Z\d_-]{6}\.[a-zA-Z\d_-]{27}",
    # \d{8,10}:[0-9A-Za-z_-]{35}
    "TelegramBotTokenDetector": r":[0-9A-Za-z_-]{35}",
}
# Past this many literal hits in one file, every line goes to the plugins concerned
# (padding a file with decoy keywords must not hide a secret behind them).
_MAX_GATE_HITS = 4000


def _first(hit: tuple[int, frozenset[int]]) -> int:
    return hit[0]


def _add_lines(
    haystack: str, hits: list[tuple[int, frozenset[int]]], found: dict[int, set[int]]
) -> None:
    """Add to ``found`` (plugin -> 1-based line numbers) the line of each (offset, plugins)."""
    hits.sort(key=_first)
    number, previous = 1, 0
    for offset, who in hits:
        number += haystack.count("\n", previous, offset)  # one pass over the text in all
        previous = offset
        for i in who:
            found.setdefault(i, set()).add(number)


@dataclass(frozen=True, slots=True)
class _Gate:
    """Every plugin's literals (as written, or lower-cased), looked up in one text."""

    owners: tuple[tuple[str, frozenset[int]], ...]  # literal -> indexes of its plugins

    def lines(self, haystack: str, found: dict[int, set[int]], every: set[int]) -> None:
        """Add to ``found`` (plugin -> 1-based line numbers) the lines this gate opens.

        ``str.find`` per literal (a C scan; most literals are absent from most files)
        costs less than one regex alternation over the text. Plugins whose literals
        hit more than :data:`_MAX_GATE_HITS` times go to ``every``.
        """
        hits: list[tuple[int, frozenset[int]]] = []
        find = haystack.find
        for literal, who in self.owners:
            at = find(literal)
            while at >= 0:
                if len(hits) >= _MAX_GATE_HITS:
                    every.update(who)
                    break
                hits.append((at, who))
                at = find(literal, at + 1)
        _add_lines(haystack, hits, found)


@functools.cache
def _gates() -> tuple[_Gate, _Gate, tuple[int, ...]]:
    """The two literal gates, and the plugins that run their own patterns instead."""
    exact: dict[str, set[int]] = {}
    folded: dict[str, set[int]] = {}
    ungated: list[int] = []
    for i, plugin in enumerate(_plugins()):
        gate = _GATES.get(type(plugin).__name__)
        if gate is None:
            ungated.append(i)
            continue
        for literal in gate[0]:
            exact.setdefault(literal, set()).add(i)
        for literal in gate[1]:
            folded.setdefault(literal.lower(), set()).add(i)
    return (
        _Gate(tuple((k, frozenset(v)) for k, v in exact.items())),
        _Gate(tuple((k, frozenset(v)) for k, v in folded.items())),
        tuple(ungated),
    )


@functools.cache
def _ungated_patterns(index: int) -> tuple[bool, tuple[re.Pattern[str], ...]]:
    """(anchored, patterns to scan the text with) of a plugin without gate literals."""
    plugin = _plugins()[index]
    denylist: tuple[re.Pattern[str], ...] = tuple(getattr(plugin, "denylist", ()))
    anchor = _ANCHORS.get(type(plugin).__name__)
    if anchor is None:
        return False, denylist
    flags = functools.reduce(operator.or_, (p.flags for p in denylist), 0)
    return True, (re.compile(anchor, flags),)


def _gate_lines(text: str, line_count: int) -> dict[int, set[int]]:
    """Plugin index -> 1-based numbers of the lines where that plugin could find something."""
    exact, folded, ungated = _gates()
    found: dict[int, set[int]] = {}
    every: set[int] = set()
    exact.lines(text, found, every)
    folded.lines(text.lower(), found, every)  # lower() keeps every newline in place
    for i in ungated:  # no literal to look for: an anchor, or the plugin's own patterns
        who = frozenset({i})
        anchored, patterns = _ungated_patterns(i)
        # An anchor may match where the plugin will not: past the gates' cap, every line
        # goes to the plugin, so that decoys cannot hide a token after them.
        limit = _MAX_GATE_HITS + 1 if anchored else _MAX_HITS
        hits = [
            (m.start(), who)
            for pattern in patterns
            for _, m in zip(range(limit), pattern.finditer(text), strict=False)
        ]
        if anchored and len(hits) > _MAX_GATE_HITS:
            every.add(i)
            continue
        _add_lines(text, hits, found)
    for i in every:
        found[i] = set(range(1, line_count + 1))
    return found


def _filtered(value: str, line: str, plugin: Any, path: str) -> bool:  # noqa: ANN401 - a detect-secrets plugin
    from detect_secrets.filters import heuristic  # noqa: PLC0415

    if _PLACEHOLDER.search(value) or heuristic.is_lock_file(path):
        return True
    whole = re.search(re.escape(value) + r"[\w\-./+=]{0,200}", line)  # ghp_XXXX...: the
    if whole and _PLACEHOLDER.search(whole.group()):  # detector may keep just the prefix
        return True
    if type(plugin).__name__ == "BasicAuthDetector" and _LOCAL_HOST.search(line):
        return True  # postgresql://postgres:postgres@localhost: a local development default
    if type(plugin).__name__ == "KeywordDetector" and (
        len(value) < 8
        or _ENV_NAME.fullmatch(value)
        or value.isalpha()
        or "/" in value
        or _DOTTED.fullmatch(value)
        or _KEYWORDS_IN_VALUE.search(value)
    ):
        return True
    return bool(
        heuristic.is_sequential_string(value)
        or heuristic.is_potential_uuid(value)
        or heuristic.is_likely_id_string(value, line, plugin)
        or heuristic.is_templated_secret(value)
        or heuristic.is_prefixed_with_dollar_sign(value)
        or heuristic.is_indirect_reference(line)
        or heuristic.is_not_alphanumeric_string(value)
    )


def _redacted(value: str) -> str:
    return (value[:4] + "…") if len(value) > 6 else "…"


# Providers detect-secrets has no plugin for (its version here), by their documented
# prefixes: Hugging Face, Google API keys, Anthropic, OpenAI project keys, xAI.
_EXTRA_TOKENS = re.compile(
    r"\b(?:hf_[A-Za-z0-9]{30,}|AIza[0-9A-Za-z_\-]{35}|sk-ant-[a-z]{3,5}\d{2}-[A-Za-z0-9_\-]{20,}|"
    r"sk-proj-[A-Za-z0-9_\-]{20,}|xai-[A-Za-z0-9]{40,})"
)
_EXTRA_NAMES = {"hf_": "Hugging Face token", "AIza": "Google API key", "sk-ant-": "Anthropic key",
                "sk-proj-": "OpenAI project key", "xai-": "xAI key"}  # fmt: skip


def _extra_tokens(path: str, text: str) -> list[Finding]:
    if not any(prefix in text for prefix in _EXTRA_NAMES):
        return []
    out: list[Finding] = []
    for m in _EXTRA_TOKENS.finditer(text):
        value = m.group()
        if _PLACEHOLDER.search(value) or len(out) >= _MAX_HITS:
            continue
        kind = next(name for prefix, name in _EXTRA_NAMES.items() if value.startswith(prefix))
        line = text.count("\n", 0, m.start()) + 1
        out.append(
            Finding(
                "hardcoded-secret",
                "high",
                path,
                line,
                f"hard-coded {kind} ({_redacted(value)}); take it from the operator's"
                " configuration instead",
                f"{kind}: {_redacted(value)}",
            )
        )
    return out


def find_secrets(path: str, text: str) -> list[Finding]:
    """``hardcoded-secret`` findings for ``text`` (the content of package file ``path``).

    Lines are read up to :data:`_LINE_CHARS` characters: some detectors' patterns are
    slow on megabyte lines, and a line that long is reported as packed code anyway.
    """
    lines = text.split("\n")
    if max(map(len, lines), default=0) > _LINE_CHARS:
        lines = [line[:_LINE_CHARS] for line in lines]
        text = "\n".join(lines)
    out: list[Finding] = []
    plugins = _plugins()
    for index, numbers in sorted(_gate_lines(text, len(lines)).items()):
        plugin = plugins[index]
        if type(plugin).__name__ == "PrivateKeyDetector" and not holds_private_key(text):
            continue  # the markers named in prose (a key-loading library's docstring)
        keyword = type(plugin).__name__ == "KeywordDetector"
        needs = _VALUES.get(type(plugin).__name__)
        for number in sorted(numbers):
            line = lines[number - 1] if number <= len(lines) else ""
            if keyword and '"' not in line and "'" not in line:
                continue  # its patterns need a quoted value: skip the regexes
            if needs is not None and needs.search(line) is None:
                continue
            for secret in plugin.analyze_line(filename=path, line=line, line_number=number):
                value = str(secret.secret_value or "")
                if not value or _filtered(value, line, plugin, path):
                    continue
                severity = "medium" if type(plugin).__name__ in _MEDIUM else "high"
                out.append(
                    Finding(
                        "hardcoded-secret",
                        severity,
                        path,
                        number,
                        f"hard-coded {secret.type} ({_redacted(value)}); take it from the "
                        "operator's configuration instead",
                        f"{secret.type}: {_redacted(value)}",
                    )
                )
    return out + _extra_tokens(path, text)
