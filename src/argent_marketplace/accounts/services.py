"""Authors, keys and tokens: the operations the API and the admin CLI share.

Every function takes an open SQLAlchemy connection inside the caller's
transaction and the current time, so tests can control the clock and a publish
can check a key in the same transaction that stores the version.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, insert, select, update
from sqlalchemy.exc import IntegrityError

from argent_marketplace.accounts.errors import (
    Conflict,
    Forbidden,
    InvalidAccount,
    NotFound,
    Unauthenticated,
)
from argent_marketplace.accounts.models import author_keys, authors, tokens
from argent_marketplace.accounts.tokens import PREFIX, digest, new_token
from argent_marketplace.db.metadata import new_id
from argent_marketplace.package.errors import SigningKeyError
from argent_marketplace.package.signing import decode_public_key, fingerprint

__all__ = [
    "SCOPES",
    "Principal",
    "add_key",
    "authenticate",
    "create_token",
    "get_author",
    "key_state",
    "list_keys",
    "list_tokens",
    "register_author",
    "revoke_key",
    "revoke_token",
    "set_verified",
    "touch_token",
]

SCOPES = ("publish", "admin")
TOUCH_INTERVAL = timedelta(minutes=5)
_EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]+\.[^@\s]+")
_SEPARATORS = re.compile(r"[\s._-]+")


@dataclass(frozen=True, slots=True)
class Principal:
    """Who a request acts as: an author (publish) or an administrator."""

    token_id: str
    author_id: str | None
    scopes: frozenset[str]
    package: str | None = None
    needs_touch: bool = False

    def require_package(self, name: str) -> None:
        """Raise ``Forbidden`` when the token is limited to another package.

        Raises:
            Forbidden: ``token-scope``.
        """
        if self.package is not None and self.package != name:
            raise Forbidden(
                f"this token may publish only {self.package}, not {name}",
                code="token-scope",
                hint="use a token for this package, or an unrestricted one",
            )

    def require(self, scope: str) -> None:
        """Raise ``Forbidden`` unless the token carries ``scope``.

        Raises:
            Forbidden: ``insufficient-scope``.
        """
        if scope not in self.scopes:
            raise Forbidden(
                f"this token does not allow '{scope}'",
                code="insufficient-scope",
                hint=f"use a token with the '{scope}' scope",
            )


def _normalize_name(name: str) -> str:
    return _SEPARATORS.sub("-", name.strip().casefold())


def _check_public_key(public_key: object) -> str:
    if not isinstance(public_key, str):
        raise InvalidAccount(
            "public_key: must be a string",
            code="invalid-public-key",
            hint="send the base64 printed by 'argent marketplace keygen'",
        )
    try:
        decode_public_key(public_key, field="public_key")
    except SigningKeyError as exc:
        raise InvalidAccount(exc.message, code="invalid-public-key", hint=exc.hint) from exc
    return public_key.strip()


def register_author(
    conn: Connection, *, name: str, email: str, public_key: str, secret: bytes, now: datetime
) -> tuple[str, str]:
    """Create an author with one key and a publish token.

    Returns:
        ``(author_id, token)``; the token is not stored and cannot be shown again.

    Raises:
        InvalidAccount: A malformed name, email or key.
        Conflict: ``name-taken`` or ``key-taken``.
    """
    if not isinstance(name, str) or not name.strip() or len(name) > 100 or not name.isprintable():
        raise InvalidAccount("name: must be 1 to 100 printable characters", hint="pick a name")
    if not isinstance(email, str) or not _EMAIL.fullmatch(email) or len(email) > 320:
        raise InvalidAccount("email: not an email address", hint="use name@example.com")
    key = _check_public_key(public_key)
    author_id = new_id()
    try:
        with conn.begin_nested():
            conn.execute(
                insert(authors).values(
                    id=author_id,
                    name=name.strip(),
                    normalized_name=_normalize_name(name),
                    email=email,
                    verified=False,
                    created_at=now,
                )
            )
    except IntegrityError as exc:
        raise Conflict(
            f"the author name '{name}' is taken",
            code="name-taken",
            hint="choose another name (names differing only in case or punctuation clash)",
        ) from exc
    add_key(conn, author_id, key, now=now)
    token = create_token(conn, author_id, ("publish",), "registration", secret=secret, now=now)
    return author_id, token


def create_token(
    conn: Connection,
    author_id: str | None,
    scopes: tuple[str, ...],
    label: str,
    *,
    secret: bytes,
    now: datetime,
    expires_at: datetime | None = None,
    package: str | None = None,
) -> str:
    """Issue a token with ``scopes`` (and optionally one package); only its HMAC is stored.

    Raises:
        InvalidAccount: An unknown scope.
    """
    unknown = set(scopes) - set(SCOPES)
    if unknown or not scopes:
        raise InvalidAccount(
            f"scopes: unknown {sorted(unknown)}", hint=f"use some of {', '.join(SCOPES)}"
        )
    token = new_token()
    conn.execute(
        insert(tokens).values(
            id=new_id(),
            author_id=author_id,
            digest=digest(token, secret),
            prefix=token[: len(PREFIX) + 4],
            scopes=" ".join(sorted(scopes)),
            label=label[:100],
            package_name=package,
            created_at=now,
            expires_at=expires_at,
        )
    )
    return token


def authenticate(conn: Connection, token: str | None, *, secret: bytes, now: datetime) -> Principal:
    """Resolve a bearer token.

    Raises:
        Unauthenticated: No token, or an unknown, revoked or expired one.
    """
    hint = "register with 'argent marketplace register' or pass --token"
    if not token:
        raise Unauthenticated("this endpoint needs an API token", hint=hint)
    row = conn.execute(
        select(
            tokens.c.id,
            tokens.c.author_id,
            tokens.c.scopes,
            tokens.c.revoked_at,
            tokens.c.expires_at,
            tokens.c.package_name,
            tokens.c.last_used_at,
        ).where(tokens.c.digest == digest(token, secret))
    ).first()
    if row is None:
        raise Unauthenticated("the API token is not valid", hint=hint)
    if row.revoked_at is not None:
        raise Unauthenticated("the API token was revoked", code="token-revoked", hint=hint)
    if row.expires_at is not None and _aware(row.expires_at) <= now:
        raise Unauthenticated("the API token has expired", code="token-expired", hint=hint)
    last_used = _aware(row.last_used_at) if row.last_used_at is not None else None
    stale = last_used is None or now - last_used >= TOUCH_INTERVAL
    return Principal(
        row.id, row.author_id, frozenset(row.scopes.split()), row.package_name, needs_touch=stale
    )


def touch_token(conn: Connection, token_id: str, now: datetime) -> None:
    """Record that a token was used (at most every ``TOUCH_INTERVAL``: reads stay reads)."""
    conn.execute(update(tokens).where(tokens.c.id == token_id).values(last_used_at=now))


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything we store is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def list_tokens(conn: Connection, author_id: str) -> list[dict[str, Any]]:
    """An author's tokens, without secrets."""
    rows = conn.execute(
        select(tokens).where(tokens.c.author_id == author_id).order_by(tokens.c.created_at)
    ).mappings()
    return [
        {
            "id": r["id"],
            "prefix": r["prefix"],
            "scopes": r["scopes"].split(),
            "label": r["label"],
            "package": r["package_name"],
            "created_at": r["created_at"],
            "expires_at": r["expires_at"],
            "revoked": r["revoked_at"] is not None,
        }
        for r in rows
    ]


def revoke_token(conn: Connection, token_id: str, *, author_id: str | None, now: datetime) -> None:
    """Revoke a token of ``author_id`` (``None``: any token, for admins).

    Raises:
        NotFound: The token is not the caller's, or already revoked.
    """
    where = tokens.c.id == token_id
    if author_id is not None:
        where = and_(where, tokens.c.author_id == author_id)
    result = conn.execute(
        update(tokens).where(where, tokens.c.revoked_at.is_(None)).values(revoked_at=now)
    )
    if result.rowcount == 0:
        raise NotFound(f"no active token {token_id} of yours")


def add_key(conn: Connection, author_id: str, public_key: str, *, now: datetime) -> dict[str, Any]:
    """Register another signing key for an author.

    Raises:
        InvalidAccount: Not a valid Ed25519 public key.
        Conflict: ``key-taken`` when any author (this one included) registered it before.
    """
    key = _check_public_key(public_key)
    row = {
        "id": new_id(),
        "author_id": author_id,
        "public_key": key,
        "fingerprint": fingerprint(key),
        "created_at": now,
    }
    try:
        with conn.begin_nested():
            conn.execute(insert(author_keys).values(**row))
    except IntegrityError as exc:
        raise Conflict(
            "this public key is already registered",
            code="key-taken",
            hint="generate a new key with 'argent marketplace keygen'",
        ) from exc
    return {**row, "revoked_at": None}


def list_keys(conn: Connection, author_id: str) -> list[dict[str, Any]]:
    """An author's keys, revoked ones included."""
    rows = conn.execute(
        select(author_keys)
        .where(author_keys.c.author_id == author_id)
        .order_by(author_keys.c.created_at)
    ).mappings()
    return [dict(r) for r in rows]


def revoke_key(conn: Connection, author_id: str, key_ref: str, *, now: datetime) -> None:
    """Revoke a key by id, fingerprint or base64; publishes signed with it are refused.

    Raises:
        NotFound: The author has no such active key.
    """
    ref = author_keys.c.id == key_ref
    ref = ref | (author_keys.c.fingerprint == key_ref) | (author_keys.c.public_key == key_ref)
    result = conn.execute(
        update(author_keys)
        .where(author_keys.c.author_id == author_id, ref, author_keys.c.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    if result.rowcount == 0:
        raise NotFound(f"no active key '{key_ref}' of yours")


def key_state(conn: Connection, author_id: str, public_key: str) -> str:
    """``active``, ``revoked``, ``other-author`` or ``unknown`` for a key and an author."""
    row = conn.execute(
        select(author_keys.c.author_id, author_keys.c.revoked_at).where(
            author_keys.c.public_key == public_key
        )
    ).first()
    if row is None:
        return "unknown"
    if row.author_id != author_id:
        return "other-author"
    return "revoked" if row.revoked_at is not None else "active"


def added_after_first_key(conn: Connection, author_id: str, public_key: str) -> datetime | None:
    """When ``public_key`` was added, if the author registered another key before it.

    ``None`` for the author's first key (registered with the account): only a key
    added later is a key *change* (SECURITY-CASES B8).
    """
    row = conn.execute(
        select(author_keys.c.created_at).where(
            author_keys.c.author_id == author_id, author_keys.c.public_key == public_key
        )
    ).first()
    if row is None:
        return None
    added = _aware(row.created_at)
    earlier = conn.execute(
        select(author_keys.c.id)
        .where(author_keys.c.author_id == author_id, author_keys.c.created_at < row.created_at)
        .limit(1)
    ).first()
    return added if earlier is not None else None


def get_author(conn: Connection, author_id: str) -> dict[str, Any] | None:
    """An author's public profile."""
    row = conn.execute(select(authors).where(authors.c.id == author_id)).mappings().first()
    return dict(row) if row else None


def set_verified(conn: Connection, author_id: str, verified: bool) -> None:
    """Mark an author verified (admins only, checked by the caller).

    Raises:
        NotFound: An unknown author.
    """
    result = conn.execute(
        update(authors).where(authors.c.id == author_id).values(verified=verified)
    )
    if result.rowcount == 0:
        raise NotFound(f"no author {author_id}")
