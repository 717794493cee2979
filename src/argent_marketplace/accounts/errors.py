"""Errors of accounts: who is calling and what they may do.

Tree::

    AccountError
    ├── Unauthenticated   401: no token, unknown, expired or revoked token
    ├── Forbidden         403: the token lacks the scope, or the resource is another's
    ├── NotFound          404: no such author, key or token (of the caller's)
    ├── Conflict          409: name or key already registered
    └── InvalidAccount    400: malformed registration data
"""

from __future__ import annotations

from argent_marketplace.errors import Error, ExitCode

__all__ = [
    "AccountError",
    "Conflict",
    "Forbidden",
    "InvalidAccount",
    "NotFound",
    "Unauthenticated",
]


class AccountError(Error):
    """Base of account errors."""

    code = "account-error"
    exit_code = ExitCode.INVALID_INPUT


class Unauthenticated(AccountError):
    """The request carries no valid token."""

    code = "unauthenticated"
    http_status = 401


class Forbidden(AccountError):
    """The token is valid but does not allow this."""

    code = "forbidden"
    http_status = 403


class NotFound(AccountError):
    """The referenced author, key or token does not exist (for this caller)."""

    code = "not-found"
    http_status = 404


class Conflict(AccountError):
    """Something that must be unique already exists."""

    code = "conflict"
    http_status = 409


class InvalidAccount(AccountError):
    """Registration or key data is malformed."""

    code = "invalid-request"
    http_status = 400
