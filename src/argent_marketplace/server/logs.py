"""Log hygiene: license keys and tokens never reach a log line.

Existing clients put license keys in URLs (``/api/v1/license/check/<key>``,
``?key=``), which access logs record; this filter rewrites them before any
handler formats the record.
"""

from __future__ import annotations

import logging
import re

__all__ = ["RedactSecrets", "install_log_redaction"]

_SECRET = re.compile(r"(?i)ARGN[-\s]*[0-9A-Z][0-9A-Z\s-]{19,40}|amp_[A-Za-z0-9_-]{20,}")


def redact(text: str) -> str:
    """``text`` with license keys and API tokens replaced by a marker."""
    return _SECRET.sub("[REDACTED]", text)


class RedactSecrets(logging.Filter):
    """Rewrites the message and string arguments of every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact, never drop."""
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        return True


def install_log_redaction() -> None:
    """Attach the filter to the loggers that see requests (once per process)."""
    for name in ("uvicorn.access", "uvicorn.error", "argent_marketplace"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactSecrets) for f in logger.filters):
            logger.addFilter(RedactSecrets())
