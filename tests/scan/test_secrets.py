"""Hard-coded secrets through detect-secrets: provider tokens block, placeholders do not."""

from __future__ import annotations

import pytest

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


def test_secrets_in_any_text_file(scan: ScanFn) -> None:
    report = scan({"agent-harness/config.yaml": "aws_access_key_id: AKIAQ3EGUMEN5LXRWT7P\n"})
    assert report.status == "flagged"
