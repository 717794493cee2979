"""Fixed-window rate limits kept in the database, so every server process shares them.

One row per bucket (``scope:identity``): an atomic upsert either starts a new
window or adds one to the current one, and the answer says how many calls the
window has seen. Identities are client addresses or key digests, never keys.
"""

from __future__ import annotations

import math
from datetime import datetime

from sqlalchemy import Connection, case, delete, select

from argent_marketplace.db.expressions import insert_with_conflicts
from argent_marketplace.licensing.errors import RateLimited
from argent_marketplace.licensing.models import rate_limits

__all__ = ["hit", "prune", "refuse_if_over"]


def _window_start(now: datetime, window_seconds: int) -> int:
    return int(now.timestamp() // window_seconds * window_seconds)


def _refusal(now: datetime, start: int, window_seconds: int, code: str) -> RateLimited:
    retry = max(1, math.ceil(start + window_seconds - now.timestamp()))
    return RateLimited(
        f"too many requests; try again in {retry} s", code=code, retry_after=retry, hint="slow down"
    )


def hit(
    conn: Connection,
    bucket: str,
    *,
    limit: int,
    window_seconds: int,
    now: datetime,
    code: str = "rate-limited",
    cost: int = 1,
) -> None:
    """Count ``cost`` calls in ``bucket``; raise when the window then holds over ``limit``.

    Raises:
        RateLimited: 429, with ``Retry-After`` until the window ends.
    """
    start = _window_start(now, window_seconds)
    insert = insert_with_conflicts(rate_limits, conn.dialect.name)
    new = insert.values(bucket=bucket[:128], window_start=start, count=cost)
    same_window = rate_limits.c.window_start == start
    upsert = new.on_conflict_do_update(
        index_elements=[rate_limits.c.bucket],
        set_={
            "count": case((same_window, rate_limits.c.count + cost), else_=cost),
            "window_start": start,
        },
    ).returning(rate_limits.c.count)
    if int(conn.execute(upsert).scalar_one()) > limit:
        raise _refusal(now, start, window_seconds, code)


def refuse_if_over(
    conn: Connection,
    bucket: str,
    *,
    limit: int,
    window_seconds: int,
    now: datetime,
    code: str = "rate-limited",
) -> None:
    """Raise when ``bucket``'s current window already holds ``limit`` calls; write nothing.

    A caller that is already over its limit then costs a read, not a write.

    Raises:
        RateLimited: 429, with ``Retry-After`` until the window ends.
    """
    start = _window_start(now, window_seconds)
    count = conn.execute(
        select(rate_limits.c.count).where(
            rate_limits.c.bucket == bucket[:128], rate_limits.c.window_start == start
        )
    ).scalar()
    if count is not None and int(count) >= limit:
        raise _refusal(now, start, window_seconds, code)


def prune(conn: Connection, now: datetime, older_than_seconds: int = 86_400) -> int:
    """Delete buckets whose window ended long ago (every limit's window is an hour at most).

    Each bucket keeps one row, but the identities (addresses, key digests) never stop
    coming: ``argent-marketplace admin gc`` clears the old ones. Returns how many.
    """
    cutoff = int(now.timestamp()) - older_than_seconds
    result = conn.execute(delete(rate_limits).where(rate_limits.c.window_start < cutoff))
    return int(result.rowcount or 0)
