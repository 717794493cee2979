from unittest import mock

from click.testing import CliRunner

from cli_aos.okta.cli import main

FAKE_TOKEN = "test-token-not-real"
RECORDED = [{"id": "00u1abcd", "profile": {"login": "ada@example.com"}}]
SESSION_JWT = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIwMHUxYWJjZCIsIm5hbWUiOiJ0ZXN0In0."
    "dGVzdC1zaWduYXR1cmUtbm90LXJlYWw"
)


def test_lists_users(monkeypatch):
    monkeypatch.setenv("OKTA_DOMAIN", "example.okta.com")
    monkeypatch.setenv("OKTA_API_TOKEN", FAKE_TOKEN)
    with mock.patch("cli_aos.okta.cli.requests.get") as get:
        get.return_value.json.return_value = RECORDED
        result = CliRunner().invoke(main, ["users"])
    assert "ada@example.com" in result.output
