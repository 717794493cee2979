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

import bisect
import functools
import re
from typing import Any

from argent_marketplace.scan.findings import Finding

__all__ = ["find_secrets"]

_MEDIUM = frozenset({"KeywordDetector", "JwtTokenDetector"})
_OFF = frozenset({"Base64HighEntropyString", "HexHighEntropyString", "IPPublicDetector"})
_PLACEHOLDER = re.compile(
    r"example|dummy|placeholder|changeme|change_me|your|xxxx|redacted|fake|sample|"
    r"<|>|\*\*\*|\.\.\.|\$\{|\{\{|%\(|^(?:password|passwd|secret|token|pass|pwd|none|null|test)$",
    re.IGNORECASE,
)
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


# What each plugin's patterns cannot match without: literals found with str.find (fast C
# scans) on the text, lower-cased where the plugin ignores case. Running every plugin's own
# regexes over every file cost ~0.6 ms per KB; these gates cost a small fraction of that.
_GATES: dict[str, tuple[bool, tuple[str, ...]]] = {
    "AWSKeyDetector": (False, ("A3T", "ABIA", "ACCA", "AKIA", "ASIA", "aws", "AWS")),
    "ArtifactoryDetector": (False, ("AKC", "AP")),
    "AzureStorageKeyDetector": (False, ("AccountKey=",)),
    "BasicAuthDetector": (False, ("://",)),
    "CloudantDetector": (True, ("cloudant",)),
    "GitHubTokenDetector": (False, ("ghp_", "gho_", "ghu_", "ghs_", "ghr_")),
    "GitLabTokenDetector": (False, ("glpat-", "gldt-", "glft-", "glsoat-", "glrt-", "GR1348941")),
    "IbmCloudIamDetector": (True, ("ibm",)),
    "IbmCosHmacDetector": (True, ("ibm", "cos_hmac", "cos-hmac", "secret_access", "secret-access")),
    "JwtTokenDetector": (False, ("eyJ",)),
    "KeywordDetector": (True, ("key", "pass", "pwd", "secret", "contrase")),
    "MailchimpDetector": (False, ("-us",)),
    "NpmDetector": (False, ("_authToken",)),
    "OpenAIDetector": (False, ("T3BlbkFJ",)),
    "PrivateKeyDetector": (False, ("PRIVATE KEY", "PuTTY")),
    "PypiTokenDetector": (False, ("pypi-Ag",)),
    "SendGridDetector": (False, ("SG.",)),
    "SlackDetector": (False, ("xox", "hooks.slack.com")),
    "SoftlayerDetector": (True, ("softlayer",)),
    "SquareOAuthDetector": (False, ("sq0csp-",)),
    "StripeDetector": (False, ("k_live_",)),
}


def _gate_lines(text: str, low: str, plugin: Any, starts: list[int]) -> set[int]:  # noqa: ANN401
    """1-based numbers of the lines where ``plugin`` could find something."""
    gate = _GATES.get(type(plugin).__name__)
    offsets: list[int] = []
    if gate is None:  # no literal to look for: the plugin's own patterns (cheap ones)
        for pattern in getattr(plugin, "denylist", ()):
            offsets += [
                m.start() for _, m in zip(range(_MAX_HITS), pattern.finditer(text), strict=False)
            ]
    else:
        lowered, literals = gate
        haystack = low if lowered else text
        for literal in literals:
            at = haystack.find(literal)
            while at >= 0 and len(offsets) < 10 * _MAX_HITS:
                offsets.append(at)
                at = haystack.find(literal, at + 1)
    return {bisect.bisect_right(starts, o) for o in offsets}


def _filtered(value: str, line: str, plugin: Any, path: str) -> bool:  # noqa: ANN401 - a detect-secrets plugin
    from detect_secrets.filters import heuristic  # noqa: PLC0415

    if _PLACEHOLDER.search(value) or heuristic.is_lock_file(path):
        return True
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


def find_secrets(path: str, text: str) -> list[Finding]:
    """``hardcoded-secret`` findings for ``text`` (the content of package file ``path``).

    Lines are read up to :data:`_LINE_CHARS` characters: some detectors' patterns are
    slow on megabyte lines, and a line that long is reported as packed code anyway.
    """
    lines = [line[:_LINE_CHARS] for line in text.split("\n")]
    if any(len(line) == _LINE_CHARS for line in lines):
        text = "\n".join(lines)
    out: list[Finding] = []
    low = text.lower()
    starts = [0, *(m.end() for m in re.finditer("\n", text))]
    for plugin in _plugins():
        keyword = type(plugin).__name__ == "KeywordDetector"
        for number in sorted(_gate_lines(text, low, plugin, starts)):
            line = lines[number - 1] if number <= len(lines) else ""
            if keyword and '"' not in line and "'" not in line:
                continue  # its patterns need a quoted value: skip the regexes
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
    return out
