"""Where the client sends requests and which token goes with them."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from argent_marketplace.client.config import config_path, load_config, save_config
from argent_marketplace.client.errors import BadServerUrl

A, B = "http://127.0.0.1:8000", "http://127.0.0.1:8011"


def test_each_server_keeps_its_own_token() -> None:
    """Registering on a second server must not lose the first one's token (shown once)."""
    save_config(A, "amp_a")
    save_config(B, "amp_b")
    assert load_config() == load_config(B)  # the last one is the default
    assert load_config().token == "amp_b"
    assert load_config(A).token == "amp_a"
    assert load_config(A + "/").token == "amp_a"
    assert oct(config_path().stat().st_mode & 0o777) == "0o600"


def test_a_saved_token_is_never_sent_to_another_server() -> None:
    save_config(A, "amp_a")
    elsewhere = load_config("https://marketplace.example")
    assert elsewhere.server == "https://marketplace.example" and elsewhere.token is None
    assert load_config("https://marketplace.example", "amp_given").token == "amp_given"


def test_a_file_of_an_earlier_release_still_works() -> None:
    config_path().parent.mkdir(parents=True, exist_ok=True)
    config_path().write_text(json.dumps({"server": A, "token": "amp_old"}))
    assert load_config().token == "amp_old"
    save_config(B, "amp_b")
    assert load_config(A).token == "amp_old"


@pytest.mark.parametrize(
    ("given", "used"),
    [
        ("http://127.0.0.1:8000/", "http://127.0.0.1:8000"),
        ("http://127.0.0.1:8000/api/v1", "http://127.0.0.1:8000"),
        ("https://market.example/prefix/api/v1/", "https://market.example/prefix"),
        (" http://[::1]:8000 ", "http://[::1]:8000"),
    ],
)
def test_server_urls_are_tidied(given: str, used: str) -> None:
    assert load_config(given).server == used


@pytest.mark.parametrize("given", ["127.0.0.1:8000", "localhost", "ftp://host", "http://"])
def test_a_server_that_is_not_a_url_is_refused_with_a_hint(
    given: str, argent: Callable[..., Any]
) -> None:
    with pytest.raises(BadServerUrl):
        load_config(given)
    result = argent("marketplace", "search", "air", "--server", given)
    assert result.exit_code == 3
    assert result.stderr.startswith("error[invalid-server-url]")
    assert "http://" in result.stderr


def test_the_environment_is_checked_too(
    monkeypatch: pytest.MonkeyPatch, argent: Callable[..., Any]
) -> None:
    monkeypatch.setenv("ARGENT_MARKETPLACE_URL", "127.0.0.1:8000")
    result = argent("marketplace", "details", "aos-airtable")
    assert result.exit_code == 3 and "invalid-server-url" in result.stderr


def test_an_activated_license_goes_only_to_its_server(tmp_path: Path) -> None:
    """A key saved by 'activate' (with its server) is not offered to another host."""
    from argent_marketplace.client.argentos import license_key

    (tmp_path / "license.json").write_text(json.dumps({"key": "ARGN-K", "server": A}))
    assert license_key(tmp_path) == "ARGN-K"
    assert license_key(tmp_path, server=A) == "ARGN-K"
    assert license_key(tmp_path, server=A + "/api/v1/") == "ARGN-K"
    assert license_key(tmp_path, server=B) is None
    (tmp_path / "license.json").write_text(json.dumps({"key": "ARGN-K"}))  # no server saved
    assert license_key(tmp_path, server=B) == "ARGN-K"
    (tmp_path / "argent.json").write_text(json.dumps({"license": {"key": "ARGN-OS"}}))
    assert license_key(tmp_path, server=B) == "ARGN-OS"  # ArgentOS's own, as ArgentOS sends it
    (tmp_path / "license.json").write_text(json.dumps({"key": "ARGN-K", "server": A}))
    assert license_key(tmp_path, server=A) == "ARGN-K"  # activated here: it comes first
    assert license_key(tmp_path, server=B) == "ARGN-OS"
