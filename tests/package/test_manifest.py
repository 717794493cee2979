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
    # M1: values of the wrong JSON type never crash a check (lists are unhashable).
    ("permissions", [[]], "permissions[0]", "not a known permission"),
    ("permissions", [{}], "permissions[0]", "not a known permission"),
    ("tags", [["crm"]], "tags[0]", "not a tag"),
    ("category", ["connectors"], "category", "not allowed"),
    ("pricing", {"free": 1}, "pricing", "not allowed"),
    # M2: control and invisible characters in text that listings and terminals show.
    ("description", "evil\x1b[2J", "description", "control or invisible character '\\x1b'"),
    ("description", "line\rover", "description", "control or invisible character '\\r'"),
    ("description", "price: \u202efree", "description", "'\\u202e'"),
    ("description", "\u200b\u200b", "description", "'\\u200b'"),
    ("description", "C1 \x9b2J", "description", "'\\x9b'"),
    ("changelog", "fixed\x00", "changelog", "'\\x00'"),
    ("display_name", "Air\ttable", "display_name", "'\\t'"),
    ("display_name", "Air\u2066table", "display_name", "'\\u2066'"),
    ("display_name", "Air\ntable", "display_name", "'\\n'"),
    ("author.name", "Eve\x1b]8;;", "author.name", "'\\x1b'"),
    ("author.name", "Eve\u200f", "author.name", "'\\u200f'"),
    ("author.name", "x" * 300, "author.name", "is 300 characters, over 200"),
    ("author.email", 5, "author.email", "must be a string"),
    ("author.url", ["x"], "author.url", "must be a string"),
    ("author.email", "eve@example.com\n", "author.email", "'\\n'"),
    ("author.url", "https://e.example\u202e", "author.url", "'\\u202e'"),
    ("homepage", "https://example.com/\x00", "homepage", "'\\x00'"),
    ("repository", "https://exa\u202dmple.com", "repository", "'\\u202d'"),
    # L1: ASCII digits only, and only spaces and commas between comparators.
    ("version", "\u0661.0.0", "version", "not a semantic version"),
    ("version", "1.\uff10.0", "version", "not a semantic version"),
    ("compatibility", {"argentos": ">=\u0662\u0660\u0662\u0666"}, "compatibility.argentos",
     "not a comparator"),
    ("compatibility", {"argentos": ">=2026.3\t<2027"}, "compatibility.argentos",
     "not a comparator"),
    ("compatibility", {"argentos": ">=2026.3\n"}, "compatibility.argentos", "not a comparator"),
    ("compatibility", {"argentos": "\u3000>=2026.3"}, "compatibility.argentos",
     "not a comparator"),
]  # fmt: skip


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
    "range_text",
    [">=2026.3.0", ">=2026.3, <2027", ">2026.1 <=2026.5.6.4", "==2026.5.6.4", "*", " * ",
     ">= 2026", ">=2026,", ">=2026.3 ,, <2027"],
)  # fmt: skip
def test_compatibility_ranges_accepted(valid_manifest: dict[str, Any], range_text: str) -> None:
    doc = {**valid_manifest, "compatibility": {"argentos": range_text}}
    assert manifest_problems(doc) == []
    jsonschema.Draft202012Validator(_schema()).validate(doc)  # L1: the schema agrees


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("description", "Two lines\nand a\ttab, \u2764\ufe0f and \u00e9"),
        ("changelog", "- fixed\n- added\n"),
        ("display_name", "Airtable \u00e9dition"),
        ("author.email", "eve@example.com"),
        ("author.url", "https://example.com/eve"),
    ],
)
def test_text_that_is_only_text_is_accepted(
    valid_manifest: dict[str, Any], field: str, value: str
) -> None:
    doc = _apply(valid_manifest, field, value)
    assert manifest_problems(doc) == []
    jsonschema.Draft202012Validator(_schema()).validate(doc)


def test_author_name_too_long_says_so(valid_manifest: dict[str, Any]) -> None:
    """L7: the message names the length, not a misleading 'must be non-empty'."""
    doc = _apply(valid_manifest, "author.name", "x" * 201)
    [problem] = manifest_problems(doc)
    assert problem.message == "author.name: is 201 characters, over 200"


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
        (b'{"a": 1e999}', "invalid-json"),  # overflows to infinity
        (b'{"a": ' + b"9" * 5000 + b"}", "invalid-json"),
        (b"[" * 100_000 + b"]" * 100_000, "invalid-json"),  # M1: RecursionError in json
        (b'{"a": ' + b"[" * 65 + b"]" * 65 + b"}", "invalid-json"),  # deeper than MAX_DEPTH
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


@pytest.mark.parametrize("variant", ["newline", "space", "unused-bits", "43-chars"])
def test_schema_and_validator_agree_on_public_key_spelling(
    valid_manifest: dict[str, Any], variant: str
) -> None:
    """L1: exactly the 44 canonical characters; whitespace is not stripped by either."""
    key = valid_manifest["author"]["publicKey"]
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    flipped = alphabet[alphabet.index(key[42]) ^ 1]
    changed = {
        "newline": key + "\n",
        "space": " " + key,
        "unused-bits": key[:42] + flipped + "=",
        "43-chars": key[:43],
    }[variant]
    doc = _apply(valid_manifest, "author.publicKey", changed)
    assert [p.details["field"] for p in manifest_problems(doc)] == ["author.publicKey"]
    assert list(jsonschema.Draft202012Validator(_schema()).iter_errors(doc))


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
        # M1: wrong JSON types are reported once, never iterated or hashed.
        (lambda d: d.update(commands=5), "commands"),
        (lambda d: d.update(commands="abc"), "commands"),
        (lambda d: d.update(commands={"id": "x"}), "commands"),
        (lambda d: d["connector"].update(categories=5), "connector.categories"),
        (lambda d: d.update(auth=[]), "auth"),
        (lambda d: d.update(connector=None), "connector"),
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


# --- hostile JSON: depth and lone surrogates (M1, M2) -------------------------------------


def test_deep_nesting_is_reported_not_raised() -> None:
    for data in (b"[" * 100_000 + b"]" * 100_000, b'{"x-a": ' + b"[" * 900 + b"]" * 900 + b"}"):
        with pytest.raises(ManifestError) as info:
            load_json_object(data, "argent.plugin.json")
        assert info.value.code == "invalid-json"
        assert "nested too deeply" in info.value.message
    assert load_json_object(b'{"a": [[[[1]]]]}', "x.json") == {"a": [[[[1]]]]}


@pytest.mark.parametrize(
    ("text", "field"),
    [
        (r'{"description": "lone \ud800 surrogate"}', "description"),
        (r'{"x-a": {"b": ["ok", "\udfff"]}}', "x-a.b[1]"),
        (r'{"\udc80key": 1}', "\\udc80key"),
        (r'{"commands": [{"id": "\ud83d"}]}', "commands[0].id"),
    ],
)
def test_lone_surrogates_are_refused_anywhere(text: str, field: str) -> None:
    for filename in ("argent.plugin.json", "connector.json"):
        with pytest.raises(ManifestError) as info:
            load_json_object(text.encode(), filename)
        assert info.value.code == "invalid-json"
        assert info.value.message.startswith(f"{filename}: {field}: contains a lone surrogate")
        assert info.value.details["field"] == field


def test_surrogate_pairs_are_ordinary_text() -> None:
    assert load_json_object(rb'{"d": "\ud83d\ude00"}', "x.json") == {"d": "\U0001f600"}
