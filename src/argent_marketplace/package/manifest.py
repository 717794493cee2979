"""``argent.plugin.json`` and ``connector.json``: the rules of spec Step 1.

:func:`manifest_problems` lists every problem at once (for ``verify --json`` and
the server's 400 answer); :func:`parse_manifest` raises the first and returns a
typed :class:`Manifest`. The JSON Schema shipped in
``schema/argent.plugin.schema.json`` states the same rules for editors; a test
keeps the two in agreement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from packaging.licenses import InvalidLicenseExpression, canonicalize_license_expression

from argent_marketplace.package.compat import parse_range
from argent_marketplace.package.errors import ManifestError, SigningKeyError
from argent_marketplace.package.signing import decode_public_key

__all__ = [
    "CATEGORIES",
    "COMMAND_MODES",
    "MANIFEST_FILE",
    "PERMISSIONS",
    "PRICING",
    "Manifest",
    "build_manifest",
    "connector_problems",
    "manifest_problems",
    "parse_manifest",
]

MANIFEST_FILE = "argent.plugin.json"
CONNECTOR_FILE = "connector.json"

# ASCII classes only: \d would also take Arabic-Indic or full-width digits.
NAME_RE = re.compile(r"aos-[a-z0-9]+(?:-[a-z0-9]+)*")
# semver.org 2.0 without build metadata: "+build" would let two different uploads
# share one precedence, which makes "this version already exists" ambiguous.
SEMVER_RE = re.compile(
    r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)"
    r"(?:-((?:0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*)"
    r"(?:\.(?:0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
)
TAG_RE = re.compile(r"[a-z0-9][a-z0-9-]{0,31}")
URL_RE = re.compile(r"https?://[^\s/$.?#][^\s]*")
# Invisible or direction-changing characters that make text display as other text
# (Trojan Source, spoofed names): soft hyphen, Arabic letter mark, Mongolian vowel
# separator, zero-width and bidi marks, line/paragraph separators, bidi embeddings
# and isolates, invisible operators, BOM. The schema file repeats this class.
_INVISIBLE = r"\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff"
# Single-line fields: no C0/C1 control character at all (no newline, tab or escape).
_UNSAFE_IN_LINE = re.compile(rf"[\x00-\x1f\x7f-\x9f{_INVISIBLE}]")
# description and changelog: newline and tab are text, every other control is not.
_UNSAFE_IN_TEXT = re.compile(rf"[\x00-\x08\x0b-\x1f\x7f-\x9f{_INVISIBLE}]")
_MULTILINE = frozenset({"description", "changelog"})

CATEGORIES = ("connectors", "skills", "plugins", "bundles", "templates")
PRICING = ("free", "trial", "pro", "enterprise", "per-skill")
PERMISSIONS = {
    "network": "opens network connections (HTTP clients, sockets)",
    "subprocess": "runs other programs",
    "filesystem": "reads or writes files outside its own folder and the temp dir",
    "native": "loads native code (ctypes, cffi, compiled extensions)",
}
COMMAND_MODES = ("readonly", "write", "full", "admin")
TRIAL_DAYS_DEFAULT = 14
MAX_TAGS = 20
MAX_PRICE_CENTS = 10_000_000

_REQUIRED = (
    "name",
    "version",
    "description",
    "author",
    "category",
    "tags",
    "license",
    "pricing",
    "price_cents",
    "compatibility",
    "permissions",
)
_OPTIONAL = ("display_name", "homepage", "repository", "changelog", "trial_days", "$schema")
_TEXT_LIMITS = {"description": 1000, "display_name": 100, "changelog": 20_000}


@dataclass(frozen=True, slots=True)
class Manifest:
    """A validated ``argent.plugin.json``; ``raw`` keeps the document as sent."""

    name: str
    version: str
    description: str
    author_name: str
    public_key: str
    category: str
    tags: tuple[str, ...]
    license: str
    pricing: str
    price_cents: int
    argentos_range: str
    permissions: tuple[str, ...]
    display_name: str | None
    homepage: str | None
    repository: str | None
    changelog: str | None
    trial_days: int | None
    raw: dict[str, Any]


def _err(field: str, problem: str, hint: str, code: str = "invalid-manifest") -> ManifestError:
    return ManifestError(
        f"{field}: {problem}",
        code=code,
        hint=hint,
        details={"file": MANIFEST_FILE, "field": field},
    )


def _shown(value: object) -> str:
    """``repr`` of a hostile value, short enough for a one-line message."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _unsafe_chars(value: str, field: str, out: list[ManifestError]) -> bool:
    """Report a control or invisible character in ``value``; True when one was found.

    Such characters let a listing display as something else (a terminal escape, a
    reversed file name), so they are refused, never stripped.
    """
    leaf = field.rsplit(".", 1)[-1]
    found = (_UNSAFE_IN_TEXT if leaf in _MULTILINE else _UNSAFE_IN_LINE).search(value)
    if found is None:
        return False
    allowed = (
        "newlines and tabs are the only controls allowed"
        if leaf in _MULTILINE
        else ("this field is one line of visible text")
    )
    out.append(
        _err(
            field,
            f"contains the control or invisible character {found.group()!a}"
            f" at position {found.start()}",
            f"remove it; {allowed}",
        )
    )
    return True


def _text(doc: dict[str, Any], field: str, out: list[ManifestError], *, required: bool) -> None:
    if field not in doc:
        if required:
            out.append(_err(field, "is missing", f'add "{field}" (a string)'))
        return
    value = doc[field]
    limit = _TEXT_LIMITS.get(field, 200)
    if not isinstance(value, str) or not value.strip():
        out.append(_err(field, "must be a non-empty string", f'set "{field}" to some text'))
    elif len(value) > limit:
        out.append(_err(field, f"is {len(value)} characters, over {limit}", "shorten it"))
    else:
        _unsafe_chars(value, field, out)


def manifest_problems(doc: dict[str, Any]) -> list[ManifestError]:
    """Every problem of a parsed ``argent.plugin.json``, in field order."""
    out: list[ManifestError] = []
    for key in doc:
        if key not in _REQUIRED and key not in _OPTIONAL and not key.startswith("x-"):
            out.append(
                _err(
                    key,
                    "is not a manifest field",
                    "remove it, fix its spelling, or prefix custom fields with 'x-'",
                    code="unknown-field",
                )
            )
    _check_name(doc, out)
    _check_version(doc, out)
    _text(doc, "description", out, required=True)
    _check_author(doc, out)
    _check_enum(doc, "category", CATEGORIES, out)
    _check_tags(doc, out)
    _check_license(doc, out)
    _check_pricing(doc, out)
    _check_compat(doc, out)
    _check_permissions(doc, out)
    _text(doc, "display_name", out, required=False)
    _text(doc, "changelog", out, required=False)
    for field in ("homepage", "repository"):
        if field in doc:
            _check_url(doc[field], field, out)
    return out


def _check_url(value: object, field: str, out: list[ManifestError]) -> None:
    if not isinstance(value, str) or not URL_RE.fullmatch(value):
        out.append(_err(field, "must be an http(s) URL", f'e.g. "https://example.com/{field}"'))
    elif len(value) > 2000:
        out.append(_err(field, f"is {len(value)} characters, over 2000", "shorten it"))
    else:
        _unsafe_chars(value, field, out)


def _check_name(doc: dict[str, Any], out: list[ManifestError]) -> None:
    name = doc.get("name")
    hint = "use 'aos-' then lowercase letters, digits and single hyphens, e.g. \"aos-airtable\""
    if name is None:
        out.append(_err("name", "is missing", hint))
    elif not isinstance(name, str) or not NAME_RE.fullmatch(name):
        out.append(_err("name", f"{_shown(name)} is not a valid connector name", hint))
    elif not 5 <= len(name) <= 64:
        out.append(_err("name", f"is {len(name)} characters; names are 5 to 64", hint))


def _check_version(doc: dict[str, Any], out: list[ManifestError]) -> None:
    version = doc.get("version")
    if version is None:
        out.append(_err("version", "is missing", 'add a semantic version such as "1.0.0"'))
    elif not isinstance(version, str) or not SEMVER_RE.fullmatch(version):
        hint = 'use MAJOR.MINOR.PATCH with an optional -prerelease, e.g. "1.2.0" or "2.0.0-rc.1"'
        if isinstance(version, str) and "+" in version:
            hint = "drop the +build metadata: versions must differ in MAJOR.MINOR.PATCH-PRERELEASE"
        out.append(_err("version", f"{_shown(version)} is not a semantic version", hint))


def _check_author(doc: dict[str, Any], out: list[ManifestError]) -> None:
    author = doc.get("author")
    if not isinstance(author, dict):
        out.append(
            _err(
                "author",
                "must be an object with name and publicKey",
                'set "author": {"name": "...", "publicKey": "<from keygen>"}',
            )
        )
        return
    for key in author:
        if key not in ("name", "publicKey", "email", "url"):
            out.append(
                _err(
                    f"author.{key}",
                    "is not an author field",
                    "author takes name, publicKey, email and url",
                    code="unknown-field",
                )
            )
    name = author.get("name")
    if not isinstance(name, str) or not name.strip():
        out.append(_err("author.name", "must be a non-empty string", "set your name or team name"))
    elif len(name) > 200:
        out.append(_err("author.name", f"is {len(name)} characters, over 200", "shorten it"))
    else:
        _unsafe_chars(name, "author.name", out)
    for field in ("email", "url"):
        if field in author:
            _check_author_extra(author[field], f"author.{field}", out)
    _check_public_key(author.get("publicKey"), out)


def _check_author_extra(value: object, field: str, out: list[ManifestError]) -> None:
    if not isinstance(value, str):
        leaf = field.split(".")[1]
        out.append(_err(field, "must be a string", f'set "{leaf}" to text, or drop it'))
    elif len(value) > 200:
        out.append(_err(field, f"is {len(value)} characters, over 200", "shorten it"))
    else:
        _unsafe_chars(value, field, out)


def _check_public_key(key: object, out: list[ManifestError]) -> None:
    if not isinstance(key, str):
        out.append(
            _err(
                "author.publicKey",
                "is missing" if key is None else "must be a string",
                "paste the value printed by 'argent marketplace keygen'",
            )
        )
    else:
        try:
            decode_public_key(key)
        except SigningKeyError as exc:
            out.append(_err("author.publicKey", exc.message.split(": ", 1)[1], exc.hint or ""))


def _check_enum(
    doc: dict[str, Any], field: str, allowed: tuple[str, ...], out: list[ManifestError]
) -> None:
    value = doc.get(field)
    if value not in allowed:
        problem = "is missing" if value is None else f"{_shown(value)} is not allowed"
        out.append(_err(field, problem, f"use one of: {', '.join(allowed)}"))


def _check_tags(doc: dict[str, Any], out: list[ManifestError]) -> None:
    tags = doc.get("tags")
    hint = 'use a list of lowercase words such as ["crm", "airtable"]'
    if not isinstance(tags, list):
        out.append(_err("tags", "must be a list of strings", hint))
        return
    if len(tags) > MAX_TAGS:
        out.append(_err("tags", f"has {len(tags)} tags, over {MAX_TAGS}", "keep the most useful"))
    for i, tag in enumerate(tags):
        if not isinstance(tag, str) or not TAG_RE.fullmatch(tag):
            out.append(
                _err(
                    f"tags[{i}]",
                    f"{_shown(tag)} is not a tag",
                    "tags are 1-32 lowercase letters, digits and hyphens",
                )
            )
    if len({t for t in tags if isinstance(t, str)}) != len(tags):
        out.append(_err("tags", "has duplicates", "list each tag once"))


def _check_license(doc: dict[str, Any], out: list[ManifestError]) -> None:
    value = doc.get("license")
    hint = 'use an SPDX identifier such as "MIT" or "Apache-2.0" (or "LicenseRef-Proprietary")'
    if not isinstance(value, str):
        out.append(_err("license", "is missing" if value is None else "must be a string", hint))
        return
    if len(value) > 200:  # bounds the SPDX parser's work on hostile input
        out.append(_err("license", f"is {len(value)} characters, over 200", hint))
        return
    try:
        canonical = canonicalize_license_expression(value)
    except InvalidLicenseExpression:
        out.append(_err("license", f"{_shown(value)} is not an SPDX license expression", hint))
        return
    if canonical != value:
        out.append(
            _err(
                "license", f"{_shown(value)} is not in canonical SPDX form", f'write "{canonical}"'
            )
        )


def _check_pricing(doc: dict[str, Any], out: list[ManifestError]) -> None:
    _check_enum(doc, "pricing", PRICING, out)
    pricing = doc.get("pricing")
    cents = doc.get("price_cents")
    if "price_cents" not in doc:
        out.append(
            _err("price_cents", "is missing", 'add "price_cents": 0 for free, 1900 for $19.00')
        )
    elif not isinstance(cents, int) or isinstance(cents, bool) or not 0 <= cents <= MAX_PRICE_CENTS:
        out.append(
            _err(
                "price_cents",
                "must be a whole number of cents from 0 to 10000000",
                "e.g. 0 for free, 1900 for $19.00",
            )
        )
    elif pricing == "free" and cents != 0:
        out.append(_err("price_cents", "must be 0 for free packages", 'set "price_cents": 0'))
    elif pricing in PRICING and pricing != "free" and cents == 0:
        out.append(
            _err(
                "price_cents",
                f"must be above 0 for {pricing} packages",
                'set the price in cents, or use "pricing": "free"',
            )
        )
    if "trial_days" in doc:
        days = doc["trial_days"]
        if pricing != "trial":
            out.append(_err("trial_days", 'only applies to "pricing": "trial"', "remove it"))
        elif not isinstance(days, int) or isinstance(days, bool) or not 7 <= days <= 30:
            out.append(
                _err("trial_days", f"{_shown(days)} is not 7 to 30", "pick a trial of 7 to 30 days")
            )


def _check_compat(doc: dict[str, Any], out: list[ManifestError]) -> None:
    compat = doc.get("compatibility")
    hint = 'set "compatibility": {"argentos": ">=2026.3.0"}'
    if not isinstance(compat, dict) or "argentos" not in compat:
        out.append(_err("compatibility.argentos", "is missing", hint))
        return
    for key in compat:
        if key != "argentos":
            out.append(
                _err(
                    f"compatibility.{key}",
                    "is not a compatibility field",
                    'only "argentos" is supported',
                    code="unknown-field",
                )
            )
    value = compat["argentos"]
    if not isinstance(value, str):
        out.append(_err("compatibility.argentos", "must be a string", hint))
        return
    try:
        parse_range(value)
    except ValueError as exc:
        out.append(_err("compatibility.argentos", str(exc), hint))


def _check_permissions(doc: dict[str, Any], out: list[ManifestError]) -> None:
    perms = doc.get("permissions")
    hint = f"use a list drawn from: {', '.join(PERMISSIONS)} (or [] for none)"
    if not isinstance(perms, list):
        out.append(_err("permissions", "must be a list", hint))
        return
    names = [p for p in perms if isinstance(p, str)]
    for i, perm in enumerate(perms):
        # Type first: a list or object is unhashable and cannot be looked up in a dict.
        if not isinstance(perm, str) or perm not in PERMISSIONS:
            out.append(_err(f"permissions[{i}]", f"{_shown(perm)} is not a known permission", hint))
    if len(names) != len(set(names)):
        out.append(_err("permissions", "has duplicates", "list each permission once"))


def parse_manifest(doc: dict[str, Any]) -> Manifest:
    """Validate ``doc`` and return it typed.

    Raises:
        ManifestError: The first problem :func:`manifest_problems` finds.
    """
    problems = manifest_problems(doc)
    if problems:
        raise problems[0]
    return build_manifest(doc)


def build_manifest(doc: dict[str, Any]) -> Manifest:
    """Type a document that :func:`manifest_problems` found no fault with."""
    author = doc["author"]
    pricing = doc["pricing"]
    trial_days = doc.get("trial_days", TRIAL_DAYS_DEFAULT if pricing == "trial" else None)
    return Manifest(
        name=doc["name"],
        version=doc["version"],
        description=doc["description"],
        author_name=author["name"],
        public_key=author["publicKey"],
        category=doc["category"],
        tags=tuple(doc["tags"]),
        license=doc["license"],
        pricing=pricing,
        price_cents=doc["price_cents"],
        argentos_range=doc["compatibility"]["argentos"],
        permissions=tuple(doc["permissions"]),
        display_name=doc.get("display_name"),
        homepage=doc.get("homepage"),
        repository=doc.get("repository"),
        changelog=doc.get("changelog"),
        trial_days=trial_days,
        raw=doc,
    )


# --- connector.json -------------------------------------------------------------------

# The keys present on every real connector (shared/reference/connectors): some real
# files lack "tool" and "manifest_schema_version", so those two are checked only when present.
_CONNECTOR_KEYS: dict[str, type] = {
    "backend": str,
    "connector": dict,
    "auth": dict,
    "scope": dict,
    "commands": list,
}
_CONNECTOR_INFO_KEYS: dict[str, type] = {
    "label": str,
    "category": str,
    "categories": list,
    "resources": list,
}
_AUTH_KEYS: dict[str, type] = {"kind": str, "required": bool}
_COMMAND_KEYS: dict[str, type] = {
    "id": str,
    "summary": str,
    "required_mode": str,
    "supports_json": bool,
    "resource": str,
    "action_class": str,
}


def _cerr(field: str, problem: str, hint: str, code: str = "invalid-connector") -> ManifestError:
    return ManifestError(
        f"connector.json {field}: {problem}",
        code=code,
        hint=hint,
        details={"file": CONNECTOR_FILE, "field": field},
    )


def _typed_keys(
    obj: dict[str, Any], keys: dict[str, type], prefix: str, out: list[ManifestError]
) -> None:
    for key, typ in keys.items():
        field = f"{prefix}{key}"
        if key not in obj:
            out.append(_cerr(field, "is missing", f'add "{key}" as real connectors have it'))
        elif not isinstance(obj[key], typ):
            out.append(_cerr(field, f"must be a {typ.__name__}", f'make "{key}" a {typ.__name__}'))


def connector_problems(doc: dict[str, Any], manifest: dict[str, Any] | None) -> list[ManifestError]:
    """Every problem of ``connector.json``, including disagreement with the manifest."""
    out: list[ManifestError] = []
    _typed_keys(doc, _CONNECTOR_KEYS, "", out)
    if isinstance(doc.get("connector"), dict):
        _typed_keys(doc["connector"], _CONNECTOR_INFO_KEYS, "connector.", out)
    if isinstance(doc.get("auth"), dict):
        _typed_keys(doc["auth"], _AUTH_KEYS, "auth.", out)
    commands = doc.get("commands")
    if isinstance(commands, list):  # any other type is reported by _typed_keys above
        _command_problems(commands, out)
    if manifest is not None:
        _agreement_problems(doc, manifest, out)
    return out


def _command_problems(commands: list[Any], out: list[ManifestError]) -> None:
    seen: set[str] = set()
    for i, cmd in enumerate(commands):
        if not isinstance(cmd, dict):
            out.append(_cerr(f"commands[{i}]", "must be an object", "describe the command"))
            continue
        _typed_keys(cmd, _COMMAND_KEYS, f"commands[{i}].", out)
        mode = cmd.get("required_mode")
        if isinstance(mode, str) and mode not in COMMAND_MODES:
            out.append(
                _cerr(
                    f"commands[{i}].required_mode",
                    f"{_shown(mode)} is not a mode",
                    f"use one of: {', '.join(COMMAND_MODES)}",
                )
            )
        cid = cmd.get("id")
        if isinstance(cid, str):
            if cid in seen:
                out.append(_cerr(f"commands[{i}].id", f"{_shown(cid)} is listed twice", "keep one"))
            seen.add(cid)


def _agreement_problems(
    doc: dict[str, Any], manifest: dict[str, Any], out: list[ManifestError]
) -> None:
    for key in ("tool", "version"):
        mine, theirs = doc.get(key), manifest.get("name" if key == "tool" else key)
        if key in doc and mine != theirs:
            out.append(
                _cerr(
                    key,
                    f"{_shown(mine)} differs from argent.plugin.json ({_shown(theirs)})",
                    f'bump both files together: set connector.json "{key}" to {_shown(theirs)}',
                    code="connector-mismatch",
                )
            )
