"""Full-text search over packages, on SQLite (FTS5) and PostgreSQL (tsvector).

The index holds name, display name, description and tags. Queries are made of
the words of the user's text, each matched as a prefix (``air`` finds
``aos-airtable``), all required; an exact name match ranks first, then the
backend's relevance score (bm25 / ts_rank) weighted towards names.
"""

from __future__ import annotations

import json
import re
from typing import Any

from sqlalchemy import Connection, text

__all__ = ["index_package", "match_clause", "query_words", "unindex_package"]

_WORD = re.compile(r"[^\W_]+")


def query_words(q: str) -> list[str]:
    """The searchable words of a query (letters and digits), at most 8."""
    return [w.lower() for w in _WORD.findall(q)][:8]


def _name_words(name: str) -> str:
    return name.replace("-", " ")


def index_package(conn: Connection, package: dict[str, Any]) -> None:
    """(Re)index one package row after a change to its searchable fields."""
    tags = " ".join(json.loads(package["tags"]))
    if conn.dialect.name == "sqlite":
        conn.execute(
            text("DELETE FROM package_search WHERE package_id = :id"), {"id": package["id"]}
        )
        conn.execute(
            text(
                "INSERT INTO package_search (name, display_name, description, tags, package_id) "
                "VALUES (:name, :display_name, :description, :tags, :id)"
            ),
            {
                "name": _name_words(package["name"]),
                "display_name": package["display_name"],
                "description": package["description"],
                "tags": tags,
                "id": package["id"],
            },
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
            {
                "name": _name_words(package["name"]),
                "display_name": package["display_name"],
                "description": package["description"],
                "tags": tags,
                "id": package["id"],
            },
        )


def unindex_package(conn: Connection, package_id: str) -> None:
    """Drop a package from the index (no visible version left)."""
    if conn.dialect.name == "sqlite":
        conn.execute(text("DELETE FROM package_search WHERE package_id = :id"), {"id": package_id})
    else:
        conn.execute(
            text("UPDATE packages SET search_vector = NULL WHERE id = :id"), {"id": package_id}
        )


def match_clause(dialect: str, words: list[str]) -> tuple[str, str, str, dict[str, Any]]:
    """``(join, condition, rank, params)`` for a text query; lower rank sorts first."""
    if dialect == "sqlite":
        # Quoted words cannot inject FTS5 syntax; '*' makes each a prefix query.
        fts = " ".join('"' + w.replace('"', '""') + '"*' for w in words)
        return (
            "JOIN package_search ON package_search.package_id = p.id",
            "package_search MATCH :fts",
            "bm25(package_search, 10.0, 8.0, 1.0, 4.0)",
            {"fts": fts},
        )
    tsq = " & ".join(w + ":*" for w in words)  # words are \w+ only: no tsquery syntax
    return (
        "",
        "p.search_vector @@ to_tsquery('simple', :tsq)",
        "-ts_rank(p.search_vector, to_tsquery('simple', :tsq))",
        {"tsq": tsq},
    )
