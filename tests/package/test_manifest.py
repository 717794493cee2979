"""argent.plugin.json and connector.json rules (spec Step 1), and the shipped JSON Schema."""

from __future__ import annotations

import base64
import copy
import json
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from argent_marketplace.package.errors import ManifestError
from argent_marketplace.package.jsondoc import load_json_object
from argent_marketplace.package.manifest import (
    connector_problems,
    manifest_problems,
    parse_manifest,
)

REFERENCE = Path(__file__).parents[2] / "tests" / "fixtures" / "reference-connectors"


def _schema() -> dict[str, Any]:
    text = (
        resources.files("argent_marketplace.package")
        .joinpath("schema/argent.plugin.schema.json")
        .read_text()
    )
    return json.loads(text)


def _fields(doc: dict[str, Any]) -> list[str]:
    return [p.details["field"] for p in manifest_problems(doc)]


def test_valid_manifest_parses(valid_manifest: dict[str, Any]) -> None:
    manifest = parse_manifest(valid_manifest)
    assert manifest.name == "aos-airtable"
    assert manifest.permissions == ("network",)
    assert manifest.trial_days is None


SMALL_ORDER_KEY = base64.b64encode(bytes(32)).decode()
NON_CANONICAL_KEY = base64.b64encode(b"\xff" * 31 + b"\x7f").decode()

# (field to change, new value or DELETE, field reported, text in the message)
DELETE = object()
CASES: list[tuple[str, object, str, str]] = [
    ("name", DELETE, "name", "is missing"),
    ("name", "airtable", "name", "not a valid connector name"),
    ("name", "aos-Airtable", "name", "not a valid connector name"),
    ("name", "aos-", "name", "not a valid connector name"),
    ("name", "aos--x", "name", "not a valid connector name"),
    ("name", "aos-x-", "name", "not a valid connector name"),
    ("name", "aos-x\n", "name", "not a valid connector name"),
    ("name", "aos-f\u043e\u043e", "name", "not a valid connector name"),  # Cyrillic o
    ("name", "aos-" + "a" * 61, "name", "5 to 64"),
    ("version", "1.0", "version", "not a semantic version"),
    ("version", "01.0.0", "version", "not a semantic version"),
    ("version", "1.0.0+build.1", "version", "not a semantic version"),
    ("version", 1, "version", "not a semantic version"),
    ("description", "", "description", "non-empty"),
    ("description", "x" * 1001, "description", "over 1000"),
    ("author", "me", "author", "must be an object"),
    ("author.publicKey", "not base64!", "author.publicKey", "not base64 of 32 bytes"),
    ("author.publicKey", base64.b64encode(b"x" * 31).decode(), "author.publicKey", "32 bytes"),
    ("author.publicKey", SMALL_ORDER_KEY, "author.publicKey", "small-order"),
    ("author.publicKey", NON_CANONICAL_KEY, "author.publicKey", "canonical"),
    ("author.name", "", "author.name", "non-empty"),
    ("author.extra", "x", "author.extra", "not an author field"),
    ("category", "widgets", "category", "not allowed"),
    ("tags", "crm", "tags", "list of strings"),
    ("tags", ["Bad Tag"], "tags[0]", "not a tag"),
    ("tags", ["a", "a"], "tags", "duplicates"),
    ("license", "MIT License", "license", "not an SPDX"),
    ("license", "mit", "license", "canonical SPDX"),
    ("pricing", "cheap", "pricing", "not allowed"),
    ("price_cents", 100, "price_cents", "must be 0 for free"),
    ("price_cents", -1, "price_cents", "whole number"),
    ("price_cents", 1.5, "price_cents", "whole number"),
    ("price_cents", True, "price_cents", "whole number"),
    ("compatibility", {}, "compatibility.argentos", "is missing"),
    ("compatibility", {"argentos": "2026.3"}, "compatibility.argentos", "not a comparator"),
    ("compatibility", {"argentos": ">=2026.03"}, "compatibility.argentos", "not an ArgentOS"),
    ("compatibility", {"argentos": ">=2026.3", "node": "*"}, "compatibility.node", "not a"),
    ("permissions", "network", "permissions", "must be a list"),
    ("permissions", ["internet"], "permissions[0]", "not a known permission"),
    ("permissions", ["network", "network"], "permissions", "duplicates"),
    ("homepage", "ftp://x", "homepage", "http(s) URL"),
    ("trial_days", 14, "trial_days", "only applies"),
    ("pricng", "free", "pricng", "not a manifest field"),
]


def _apply(doc: dict[str, Any], field: str, value: object) -> dict[str, Any]:
    doc = copy.deepcopy(doc)
    target = doc
    *parents, last = field.split(".")
    for part in parents:
        target = target[part]
    if value is DELETE:
        del target[last]
    else:
        target[last] = value
    return doc


@pytest.mark.parametrize(("field", "value", "reported", "text"), CASES)
def test_each_rule_names_the_field_and_the_fix(
    valid_manifest: dict[str, Any], field: str, value: object, reported: str, text: str
) -> None:
    doc = _apply(valid_manifest, field, value)
    problems = manifest_problems(doc)
    match = [p for p in problems if p.details["field"] == reported]
    assert match, [p.message for p in problems]
    assert text in match[0].message
    assert match[0].message.startswith(f"{reported}: ")
    assert match[0].hint  # every error says how to fix it
    with pytest.raises(ManifestError):
        parse_manifest(doc)


def test_all_problems_are_reported_at_once(valid_manifest: dict[str, Any]) -> None:
    doc = _apply(_apply(valid_manifest, "name", "bad"), "version", "x")
    assert _fields(doc)[:2] == ["name", "version"]


@pytest.mark.parametrize(
    ("pricing", "cents", "extra", "ok"),
    [
        ("pro", 1900, {}, True),
        ("pro", 0, {}, False),
        ("trial", 900, {"trial_days": 7}, True),
        ("trial", 900, {"trial_days": 30}, True),
        ("trial", 900, {"trial_days": 6}, False),
        ("trial", 900, {"trial_days": 31}, False),
        ("trial", 900, {}, True),
        ("enterprise", 99_000, {}, True),
        ("per-skill", 500, {}, True),
    ],
)
def test_pricing_rules(
    valid_manifest: dict[str, Any], pricing: str, cents: int, extra: dict[str, Any], ok: bool
) -> None:
    doc = {**valid_manifest, "pricing": pricing, "price_cents": cents, **extra}
    assert (manifest_problems(doc) == []) is ok
    if ok and pricing == "trial":
        assert parse_manifest(doc).trial_days == extra.get("trial_days", 14)


@pytest.mark.parametrize(
    "range_text", [">=2026.3.0", ">=2026.3, <2027", ">2026.1 <=2026.5.6.4", "==2026.5.6.4", "*"]
)
def test_compatibility_ranges_accepted(valid_manifest: dict[str, Any], range_text: str) -> None:
    doc = {**valid_manifest, "compatibility": {"argentos": range_text}}
    assert manifest_problems(doc) == []


def test_spdx_expressions_and_refs(valid_manifest: dict[str, Any]) -> None:
    for lic in ("Apache-2.0", "MIT OR Apache-2.0", "LicenseRef-Proprietary"):
        assert manifest_problems({**valid_manifest, "license": lic}) == []


def test_extension_fields_are_allowed(valid_manifest: dict[str, Any]) -> None:
    assert manifest_problems({**valid_manifest, "x-internal-id": 7}) == []


# --- strict JSON ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b'{"a": 1, "a": 2}', "duplicate-key"),
        (b'{"a": NaN}', "invalid-json"),
        (b"\xef\xbb\xbf{}", "invalid-json"),
        (b'{"a": "\xff"}', "invalid-json"),
        (b"[1]", "invalid-json"),
        (b'{"a": }', "invalid-json"),
    ],
)
def test_strict_json(data: bytes, code: str) -> None:
    with pytest.raises(ManifestError) as info:
        load_json_object(data, "argent.plugin.json")
    assert info.value.code == code
    assert "argent.plugin.json" in info.value.message


# --- the JSON Schema agrees with the validator ------------------------------------------


def test_schema_is_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(_schema())


@pytest.mark.parametrize(
    ("field", "value"),
    # SPDX ids and key bytes are checked by the validator only; a pattern cannot express them.
    [(f, v) for f, v, _r, _t in CASES if f not in ("license", "author.publicKey")],
)
def test_schema_rejects_what_the_validator_rejects(
    valid_manifest: dict[str, Any], field: str, value: object
) -> None:
    doc = _apply(valid_manifest, field, value)
    validator = jsonschema.Draft202012Validator(_schema())
    assert list(validator.iter_errors(doc)), f"schema accepted {field}={value!r}"


def test_schema_accepts_the_valid_manifest(valid_manifest: dict[str, Any]) -> None:
    jsonschema.Draft202012Validator(_schema()).validate(valid_manifest)


# --- connector.json ---------------------------------------------------------------------


def test_every_reference_connector_is_accepted(valid_manifest: dict[str, Any]) -> None:
    refs = sorted(REFERENCE.glob("*/connector.json"))
    assert len(refs) == 7
    for ref in refs:
        doc = load_json_object(ref.read_bytes(), "connector.json")
        manifest = {**valid_manifest, "name": doc.get("tool", valid_manifest["name"])}
        assert connector_problems(doc, manifest) == [], ref


def test_connector_must_agree_with_manifest(valid_manifest: dict[str, Any]) -> None:
    ref = REFERENCE / "aos-github" / "connector.json"
    doc = load_json_object(ref.read_bytes(), "connector.json")
    problems = connector_problems({**doc, "version": "9.9.9"}, valid_manifest)
    codes = {p.code for p in problems}
    assert codes == {"connector-mismatch"}
    assert any("tool" in p.message for p in problems)
    assert any("version" in p.message for p in problems)


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda d: d.pop("commands"), "commands"),
        (lambda d: d["connector"].pop("label"), "connector.label"),
        (lambda d: d["auth"].pop("kind"), "auth.kind"),
        (lambda d: d["commands"][0].update(required_mode="root"), "commands[0].required_mode"),
        (lambda d: d["commands"][1].update(id=d["commands"][0]["id"]), "commands[1].id"),
        (lambda d: d.update(backend=3), "backend"),
    ],
)
def test_connector_rules(valid_manifest: dict[str, Any], mutate: Any, field: str) -> None:
    ref = REFERENCE / "aos-airtable" / "connector.json"
    doc = load_json_object(ref.read_bytes(), "connector.json")
    mutate(doc)
    problems = connector_problems(doc, valid_manifest)
    assert [p.details["field"] for p in problems] == [field]
    assert problems[0].message.startswith(f"connector.json {field}: ")
