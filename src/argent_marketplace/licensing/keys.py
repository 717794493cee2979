"""License keys people can read aloud: ``ARGN-XXXXX-XXXXX-XXXXX-XXXXX-C``.

Twenty Crockford base32 characters (100 random bits; no I, L, O or U) in groups
of five, then a check character (the value mod 37, Crockford's check symbols),
so a mistyped or truncated key is caught locally before any request. Keys are
compared after normalisation: case, ``I``/``L`` -> ``1``, ``O`` -> ``0``, and
separators do not matter.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from argent_marketplace.licensing.errors import InvalidKeyFormat

__all__ = ["digest", "new_key", "normalize"]

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CHECK = _ALPHABET + "*~$=U"
_PREFIX = "ARGN"
_BODY = 20
_CONFUSABLE = str.maketrans("ILO", "110")


def _check_char(body: str) -> str:
    value = 0
    for char in body:
        value = value * 32 + _ALPHABET.index(char)
    return _CHECK[value % 37]


def new_key() -> str:
    """A fresh key."""
    body = "".join(secrets.choice(_ALPHABET) for _ in range(_BODY))
    groups = "-".join(body[i : i + 5] for i in range(0, _BODY, 5))
    return f"{_PREFIX}-{groups}-{_check_char(body)}"


def normalize(key: str) -> str:
    """The canonical form of ``key``.

    Raises:
        InvalidKeyFormat: Wrong prefix, length, characters or check character.
    """
    hint = "copy the key again: it looks like ARGN-XXXXX-XXXXX-XXXXX-XXXXX-C"
    if not isinstance(key, str) or len(key) > 64:
        raise InvalidKeyFormat("the license key is not well formed", hint=hint)
    text = key.strip().upper().replace("-", "").replace(" ", "")
    text = text.translate(_CONFUSABLE)
    if not text.startswith(_PREFIX) or len(text) != len(_PREFIX) + _BODY + 1:
        raise InvalidKeyFormat("the license key is not well formed", hint=hint)
    body, check = text[len(_PREFIX) : -1], text[-1]
    if any(c not in _ALPHABET for c in body) or check not in _CHECK:
        raise InvalidKeyFormat("the license key has characters keys never contain", hint=hint)
    if _check_char(body) != check:
        raise InvalidKeyFormat(
            "the license key has a typo (its check character does not match)", hint=hint
        )
    return f"{_PREFIX}-" + "-".join(body[i : i + 5] for i in range(0, _BODY, 5)) + f"-{check}"


def digest(key: str, secret: bytes) -> str:
    """The stored, keyed hash of a normalised key."""
    return hmac.new(secret, normalize(key).encode(), hashlib.sha256).hexdigest()
