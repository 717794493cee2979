"""Hard-coded secrets through detect-secrets: provider tokens block, placeholders do not."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.scan.conftest import ScanFn

PATH = "agent-harness/cli_aos/airtable/settings.py"


@pytest.mark.parametrize(
    ("line", "severity"),
    [
        ('AWS_KEY = "AKIAQ3EGUMEN5LXRWT7P"', "high"),
        ('TOKEN = "ghp_R8xkq2LmN7vT4wZpY6bC1dF9gH3jK5sA0eQi"', "high"),
        ('STRIPE = "sk_live_4eC39HqLyjWDarjtT1zdp7dc"', "high"),
        ('SLACK = "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx"', "high"),
        ('DB = "postgresql://admin:Xk29fjQ0pZ@db.example.com/prod"', "high"),
        ('password = "Tr0ub4dor&3x"', "medium"),
        # detectors whose patterns ignore case, or need no provider name on the line
        ('Aws_Secret_Pass = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzzKEYhG7q"', "high"),
        ('SLACK = "XOXB-123456789012-1234567890123-abcdefghijklmnopqrstuvwx"', "high"),
        ('iam_api_key = "Xk29fjQ0pZabcdEFGHijklMNOPqrstUVWXyz0123456_"', "high"),
        ('sl_api_key = "4f6e2b9a1c3d5e7f8a0b2c4d6e8f0a1b3c5d7e9f1a2b4c6d8e0f2a4b6c8d0e2f"', "high"),
        ('TWILIO = "SK4f6e2b9a1c3d5e7f8a0b2c4d6e8f0a1b"', "high"),
        # detectors without gate literals: an anchor of their pattern finds the line
        ('BOT = "1234567890:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawq"', "high"),
        ('DISCORD = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.Xk29fjQ0pZabcdEFGHijklMNOPq"', "high"),
    ],
)
def test_secrets_are_reported_redacted(scan: ScanFn, line: str, severity: str) -> None:
    report = scan({PATH: line + "\n"})
    hits = [f for f in report.findings if f.rule == "hardcoded-secret"]
    assert hits and hits[0].severity == severity and hits[0].line == 1
    secret = line.split('"')[1]
    assert secret not in hits[0].message and secret not in hits[0].evidence


@pytest.mark.parametrize(
    "line",
    [
        'TOKEN_ENV = "AIRTABLE_API_TOKEN"',
        'token = os.environ["AIRTABLE_API_TOKEN"]',
        'AWS_KEY = "AKIAIOSFODNN7EXAMPLE"',
        'password = "<your password here>"',
        'DEFAULT_PASSWORD_FIELD = "password"',
        'aos-1password = "cli_aos.onepassword.cli:main"',
        'SHA = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"',
        'URL = "postgresql://user:password@localhost/db"',
    ],
)
def test_placeholders_and_references_are_not_secrets(scan: ScanFn, line: str) -> None:
    report = scan({PATH: "import os\n" + line + "\n"})
    assert [f for f in report.findings if f.rule == "hardcoded-secret"] == []


def test_decoy_keywords_do_not_hide_a_secret(scan: ScanFn) -> None:
    decoys = "".join(f"api_key_{i} = os.environ['K{i}']\n" for i in range(5000))
    report = scan(
        {PATH: "import os\n" + decoys + 'TOKEN = "ghp_R8xkq2LmN7vT4wZpY6bC1dF9gH3jK5sA0eQi"\n'}
    )
    hits = [f for f in report.findings if f.rule == "hardcoded-secret"]
    assert [h.line for h in hits] == [5002]


def test_decoy_anchors_do_not_hide_a_token(scan: ScanFn) -> None:
    """Thousands of lines with the Telegram anchor (":" and 35 token characters) but no
    token: past the cap every line goes to the detector, so the token after them shows."""
    decoys = "".join(f"x{i} = 'a:{'B' * 35}'\n" for i in range(4500))
    token = 'BOT = "1234567890:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawq"\n'
    report = scan({PATH: "import os\n" + decoys + token})
    hits = [f for f in report.findings if f.rule == "hardcoded-secret"]
    assert [h.line for h in hits] == [4502]


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_every_token_of_an_anchored_detector_holds_its_anchor(data: st.DataObject) -> None:
    """The anchors stand in for detectors' patterns: each match of theirs must hold one."""
    from argent_marketplace.scan import secrets

    checked = 0
    for index, plugin in enumerate(secrets._plugins()):
        if type(plugin).__name__ not in secrets._ANCHORS:
            continue
        anchored, (anchor,) = secrets._ungated_patterns(index)
        assert anchored
        checked += 1
        for pattern in plugin.denylist:
            token = data.draw(st.from_regex(pattern, fullmatch=True))
            assert anchor.search(token), (type(plugin).__name__, token)
    assert checked == len(secrets._ANCHORS)  # every anchor names a detector that exists


def test_secrets_in_any_text_file(scan: ScanFn) -> None:
    report = scan({"agent-harness/config.yaml": "aws_access_key_id: AKIAQ3EGUMEN5LXRWT7P\n"})
    assert report.status == "flagged"


def _prefixes(parsed) -> tuple[set[str], bool]:
    """The literal texts a parsed pattern starts with, and whether that is all of it."""
    import re._constants as c

    out = {""}
    for op, arg in parsed:
        if op is c.LITERAL:
            out = {p + chr(arg) for p in out}
            continue
        if op is c.SUBPATTERN:
            inner, complete = _prefixes(arg[-1])
        elif op is c.BRANCH:
            parts = [_prefixes(alt) for alt in arg[1]]
            inner = set().union(*(p for p, _ in parts))
            complete = all(done for _, done in parts)
        else:
            return out, False
        out = {p + i for p in out for i in inner}
        if not complete:
            return out, False
    return out, True


def _required_runs(parsed) -> set[str]:
    """Literal texts every match contains (runs of literals outside optional parts)."""
    import re._constants as c

    runs, run = set(), ""
    for op, arg in parsed:
        if op is c.LITERAL:
            run += chr(arg)
            continue
        runs.add(run)
        run = ""
        if op is c.SUBPATTERN:
            runs |= _required_runs(arg[-1])
    runs.add(run)
    return {r for r in runs if r}


def test_every_literal_prefix_of_a_detector_opens_its_gate() -> None:
    """detect-secrets adds token formats; the gates must let each of them through."""
    import re._parser

    from argent_marketplace.scan import secrets

    checked = 0
    for plugin in secrets._plugins():
        gate = secrets._GATES.get(type(plugin).__name__)
        if gate is None:
            continue  # runs its own patterns over the text
        exact, folded = gate
        for pattern in getattr(plugin, "denylist", ()):  # the keyword plugin has its own
            parsed = re._parser.parse(pattern.pattern, pattern.flags)
            required = _required_runs(parsed)
            for prefix in _prefixes(parsed)[0]:
                if len(prefix) < 3:
                    continue
                texts = {prefix} | required
                ignore_case = bool(pattern.flags & re.IGNORECASE)
                opened = not ignore_case and any(lit in t for lit in exact for t in texts)
                opened = opened or any(lit in t.lower() for lit in folded for t in texts)
                assert opened, f"{type(plugin).__name__}: {prefix!r} passes no gate literal"
                checked += 1
    assert checked > 20


@pytest.mark.parametrize("prefix", ["glptt-", "glimt-", "gloas-", "glagent-"])
def test_newer_gitlab_tokens(scan: ScanFn, prefix: str) -> None:
    size = {"glptt-": 40, "glimt-": 25, "gloas-": 64, "glagent-": 50}[prefix]
    token = prefix + ("Ab3dEf6hIjKlMnOpQrStUvWxYz0123456789" * 3)[:size]
    report = scan({PATH: f'TOKEN = "{token}"\n'})
    assert [f.severity for f in report.findings if f.rule == "hardcoded-secret"] == ["high"]


def test_a_private_key_is_a_secret_its_markers_in_prose_are_not(scan: ScanFn) -> None:
    pem = (
        Ed25519PrivateKey.generate()
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )
    key = scan({PATH: f"KEY = {pem!r}\n"})
    assert ("hardcoded-secret", "high") in {(f.rule, f.severity) for f in key.findings}
    prose = scan(
        {
            PATH: 'def load(data):\n    """Text before "-----BEGIN RSA PRIVATE KEY-----" and after\n'
            '    "-----END RSA PRIVATE KEY-----" is ignored."""\n'
        }
    )
    assert [f for f in prose.findings if f.rule == "hardcoded-secret"] == []
