"""Full-text search over packages, on SQLite (FTS5) and PostgreSQL (tsvector).

The index holds name, display name, description and tags. Queries are made of
the words of the user's text, each matched as a prefix (``air`` finds
``aos-airtable``), all required; an exact name match ranks first, then the
backend's relevance score (bm25 / ts_rank) weighted towards names.

A broad word matches tens of thousands of packages, and scoring every match
costs more than the whole page budget. So relevance ranks a window: the
``RANK_WINDOW`` most-downloaded matches (catalog/services.py). PostgreSQL walks
its downloads index to find them. SQLite's FTS5 can only hand matches out in
rowid order, so each row's rowid starts with the package's *popularity bucket*
(``popularity_bucket``: downloads rounded down to two significant binary digits,
four buckets per doubling) and the index is read from the highest rowid down.
The window is the exact top by downloads even so: every match outside the
buckets read has fewer downloads than every match inside them. A download that
moves a package into the next bucket moves its index row too
(``follow_downloads``), so the order never goes stale.
"""

from __future__ import annotations

import json
import re
from typing import Any

from sqlalchemy import Connection, text

__all__ = [
    "BUCKET_SHIFT",
    "follow_downloads",
    "fts_query",
    "index_package",
    "popularity_bucket",
    "query_words",
    "search_rowid",
    "ts_query",
    "unindex_package",
]

_WORD = re.compile(r"[^\W_]+")

# An FTS rowid is ``bucket << BUCKET_SHIFT | n``: the bucket (0-251 for any BigInteger count)
# in the top 8 bits of a positive 64-bit integer, and a counter within the bucket below.
BUCKET_SHIFT = 55


def query_words(q: str) -> list[str]:
    """The searchable words of a query (letters and digits), at most 8."""
    return [w.lower() for w in _WORD.findall(q)][:8]


def _name_words(name: str) -> str:
    return name.replace("-", " ")


def popularity_bucket(downloads: int) -> int:
    """Downloads rounded down to two significant binary digits, as an ordinal.

    Monotonic: more downloads never give a lower bucket. A new bucket starts at
    0, 1, 2, 3, 4, 5, 6, 7, 9, 11, 13, 15, 19, 23, ... downloads: four per doubling.
    """
    n = max(int(downloads), 0) + 1
    length = n.bit_length()
    top = n >> (length - 3) if length >= 3 else n << (3 - length)
    return 4 * (length - 1) + (top & 3)


def search_rowid(bucket: int, n: int) -> int:
    """The FTS rowid of the ``n``-th row (from 1) put in ``bucket``."""
    return (bucket << BUCKET_SHIFT) | n


def _new_rowid(conn: Connection, bucket: int) -> int:
    """A free rowid in ``bucket``, above every row already there (newest reads first)."""
    low = search_rowid(bucket, 0)
    high = search_rowid(bucket + 1, 0) - 1
    top = conn.execute(
        text("SELECT max(rowid) FROM package_search WHERE rowid BETWEEN :low AND :high"),
        {"low": low, "high": high},
    ).scalar()
    return int(top) + 1 if top is not None else low + 1


def index_package(conn: Connection, package: dict[str, Any]) -> None:
    """(Re)index one package row after a change to its searchable fields.

    ``package`` holds the row's ``id``, ``name``, ``display_name``, ``description``,
    ``tags`` (JSON), ``total_downloads`` and ``search_rowid`` (NULL when not indexed).
    """
    tags = " ".join(json.loads(package["tags"]))
    fields = {
        "name": _name_words(package["name"]),
        "display_name": package["display_name"],
        "description": package["description"],
        "tags": tags,
        "id": package["id"],
    }
    if conn.dialect.name == "sqlite":
        if package.get("search_rowid") is not None:
            conn.execute(
                text("DELETE FROM package_search WHERE rowid = :rowid"),
                {"rowid": package["search_rowid"]},
            )
        rowid = _new_rowid(conn, popularity_bucket(package["total_downloads"]))
        conn.execute(
            text(
                "INSERT INTO package_search "
                "(rowid, name, display_name, description, tags, package_id) "
                "VALUES (:rowid, :name, :display_name, :description, :tags, :id)"
            ),
            {"rowid": rowid, **fields},
        )
        conn.execute(
            text("UPDATE packages SET search_rowid = :rowid WHERE id = :id"),
            {"rowid": rowid, "id": package["id"]},
        )
    else:
        conn.execute(
            text(
                "UPDATE packages SET search_vector = "
                "setweight(to_tsvector('simple', :name), 'A') || "
                "setweight(to_tsvector('simple', :display_name), 'A') || "
                "setweight(to_tsvector('simple', :tags), 'B') || "
                "setweight(to_tsvector('simple', :description), 'C') "
                "WHERE id = :id"
            ),
            fields,
        )


def unindex_package(conn: Connection, package_id: str, rowid: int | None) -> None:
    """Drop a package from the index (no visible version left); ``rowid`` on SQLite."""
    if conn.dialect.name == "sqlite":
        if rowid is not None:
            conn.execute(text("DELETE FROM package_search WHERE rowid = :rowid"), {"rowid": rowid})
        conn.execute(
            text("UPDATE packages SET search_rowid = NULL WHERE id = :id"), {"id": package_id}
        )
    else:
        conn.execute(
            text("UPDATE packages SET search_vector = NULL WHERE id = :id"), {"id": package_id}
        )


def follow_downloads(conn: Connection, package_id: str) -> None:
    """After a download: on SQLite, move the index row when its bucket changed.

    Happens four times per doubling of a package's downloads (about 90 times on the way
    to 20 million); PostgreSQL reads the live ``total_downloads`` and needs nothing.
    """
    if conn.dialect.name != "sqlite":
        return
    row = conn.execute(
        text("SELECT total_downloads, search_rowid FROM packages WHERE id = :id"),
        {"id": package_id},
    ).first()
    if row is None or row.search_rowid is None:
        return
    bucket = popularity_bucket(row.total_downloads)
    if bucket == row.search_rowid >> BUCKET_SHIFT:
        return
    rowid = _new_rowid(conn, bucket)
    conn.execute(
        text("UPDATE package_search SET rowid = :new WHERE rowid = :old"),
        {"new": rowid, "old": row.search_rowid},
    )
    conn.execute(
        text("UPDATE packages SET search_rowid = :rowid WHERE id = :id"),
        {"rowid": rowid, "id": package_id},
    )


def fts_query(words: list[str]) -> str:
    """The FTS5 MATCH text: quoted words cannot inject FTS5 syntax; '*' makes prefixes."""
    return " ".join('"' + w.replace('"', '""') + '"*' for w in words)


def ts_query(words: list[str]) -> str:
    """The to_tsquery text: words are letters and digits only, so no tsquery syntax."""
    return " & ".join(w + ":*" for w in words)
