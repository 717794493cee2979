"""Telling a PEM private key from text that only names its markers.

``pack`` refuses to put a private key in a package, and the scanner reports one as a
hard-coded secret. Both need the same answer: a key is its header, key material, then
its footer. The header alone is not a key: libraries that read keys mention it in
their docstrings ("text before -----BEGIN RSA PRIVATE KEY----- is ignored").
"""

from __future__ import annotations

import re

__all__ = ["holds_private_key"]

_BEGIN = re.compile(r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----")
_KEY_LINE = re.compile(r"[A-Za-z0-9+/=]{40,}")  # a PEM body line (64 characters in practice)
_SPAN = 16384  # an RSA-4096 key's PEM is about 3.3 KB


def holds_private_key(data: bytes | str) -> bool:
    """Whether ``data`` holds a PEM private key (escaped ``\\n`` line breaks included)."""
    text = data.decode("latin-1") if isinstance(data, bytes) else data
    pos = 0
    while (match := _BEGIN.search(text, pos)) is not None:
        end = text.find("-----END ", match.end(), match.end() + _SPAN)
        if end < 0:
            pos = match.end()
            continue
        if _KEY_LINE.search(text, match.end(), end):
            return True
        pos = end  # each stretch of text is searched once, however many headers it holds
    return False
