"""Catalog reads (search, details) and the bookkeeping after a version changes.

Visibility rules, in one place:

* a package shows in search and details once it has a published, non-yanked
  version; its ``latest`` is the highest such semver, releases before
  prereleases (a package with only prereleases shows its highest prerelease);
* ``listed = false`` packages never show in the public catalog;
* yanked versions stay downloadable by exact version but are never ``latest``.
"""

from __future__ import annotations

import json
import uuid
from collections import Counter
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, bindparam, func, select, text, update

from argent_marketplace.accounts.models import author_keys as author_keys_table
from argent_marketplace.accounts.models import authors
from argent_marketplace.catalog.errors import PackageNotFound
from argent_marketplace.catalog.models import packages, versions
from argent_marketplace.catalog.search import (
    index_package,
    match_clause,
    query_words,
    unindex_package,
)
from argent_marketplace.catalog.semver import is_prerelease, precedence

__all__ = [
    "SORTS",
    "author_keys",
    "author_packages",
    "catalog_item",
    "count_download",
    "find_package",
    "iso_time",
    "package_details",
    "refresh_package",
    "search",
]

SORTS = ("relevance", "downloads", "updated", "name")
COUNT_CAP = 10_000
MAX_LIMIT = 100

_ITEM_COLUMNS = (
    "p.id, p.name, p.display_name, p.description, p.category, p.tags, p.pricing, "
    "p.price_cents, p.listed, p.latest_version, p.total_downloads, p.rating, "
    "p.rating_count, p.updated_at, a.name AS author_name, a.verified AS author_verified"
)


def iso_time(value: datetime | str | None) -> str | None:
    """ISO-8601 UTC with a ``Z``; SQLite hands raw-SQL timestamps back as text."""
    if value is None:
        return None
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def catalog_item(row: Mapping[Any, Any]) -> dict[str, Any]:
    """The CatalogItem shape existing ArgentOS clients parse (existing-clients.md)."""
    return {
        "id": row["id"],
        "name": row["name"],
        "display_name": row["display_name"] or row["name"],
        "description": row["description"],
        "category": row["category"],
        "tags": json.loads(row["tags"]),
        "author_name": row["author_name"],
        "author_verified": bool(row["author_verified"]),
        "latest_version": row["latest_version"],
        "total_downloads": int(row["total_downloads"]),
        "rating": float(row["rating"]),
        "rating_count": int(row["rating_count"]),
        "pricing": row["pricing"],
        "price_cents": int(row["price_cents"]),
        "updated_at": iso_time(row["updated_at"]),
        "listed": bool(row["listed"]),
    }


def search(
    conn: Connection,
    *,
    q: str = "",
    category: str | None = None,
    tags: list[str] | None = None,
    pricing: str | None = None,
    sort: str | None = None,
    limit: int = 20,
    offset: int = 0,
    include_unlisted_ids: list[str] | None = None,
    facets: bool = False,
) -> dict[str, Any]:
    """Search visible packages; answers ``{"items", "total"}``.

    Args:
        q: Free text; empty browses.
        category: Exact category.
        tags: Packages must carry all of these.
        pricing: Exact pricing model.
        sort: ``relevance`` (default with ``q``), ``downloads`` (default without),
            ``updated`` or ``name``.
        limit: Page size, 1 to 100.
        offset: Items to skip.
        include_unlisted_ids: Unlisted packages a license covers (licensed catalog).
        facets: Also count the matches per category and per pricing model.
    """
    words = query_words(q)
    params: dict[str, Any] = {
        "limit": max(1, min(limit, MAX_LIMIT)),
        "offset": max(0, offset),
        "count_cap": COUNT_CAP,
    }
    joins = ""  # the authors join is for the page only: every package has an owner
    visible = "p.listed"
    if include_unlisted_ids:
        visible = "(p.listed OR p.id IN :unlisted)"
        params["unlisted"] = tuple(include_unlisted_ids)
    where = [visible, "p.latest_version_id IS NOT NULL"]
    rank = ""
    if words:
        join, condition, rank, extra = match_clause(conn.dialect.name, words)
        joins += " " + join
        where.append(condition)
        params.update(extra)
    if category:
        where.append("p.category = :category")
        params["category"] = category
    if pricing:
        where.append("p.pricing = :pricing")
        params["pricing"] = pricing
    for i, tag in enumerate(tags or []):
        where.append(f"p.tags LIKE :tag{i}")
        params[f"tag{i}"] = "%" + json.dumps(tag) + "%"
    sort = sort if sort in SORTS else "relevance"
    if sort == "relevance" and not words:
        sort = "downloads"  # nothing to rank by: browse by popularity
    params["exact"] = q.strip().lower()
    params["exact_aos"] = "aos-" + q.strip().lower()
    order = {
        "relevance": f"(p.name = :exact OR p.name = :exact_aos) DESC, {rank}, "
        "p.total_downloads DESC, p.name",
        "downloads": "p.total_downloads DESC, p.name",
        "updated": "p.updated_at DESC, p.name",
        "name": "p.name",
    }[sort]
    base = f"FROM packages p {joins} WHERE {' AND '.join(where)}"
    page_from = (
        f"FROM packages p JOIN authors a ON a.id = p.owner_id {joins} WHERE " + " AND ".join(where)
    )
    # Only fixed fragments are formatted into the SQL; every user value is a bound parameter.
    stmt = text(f"SELECT {_ITEM_COLUMNS} {page_from} ORDER BY {order} LIMIT :limit OFFSET :offset")
    if include_unlisted_ids:
        stmt = stmt.bindparams(bindparam("unlisted", expanding=True))
    rows = conn.execute(stmt, params).mappings().all()
    # Counting every match of a broad query costs more than the page itself: count up to a
    # cap, as large registries do, and say when the total is a lower bound.
    count_stmt = text(f"SELECT COUNT(*) FROM (SELECT 1 {base} LIMIT :count_cap) AS m")  # noqa: S608 - fixed fragments only
    if include_unlisted_ids:
        count_stmt = count_stmt.bindparams(bindparam("unlisted", expanding=True))
    total = conn.execute(count_stmt, params).scalar_one()
    result: dict[str, Any] = {"items": [catalog_item(r) for r in rows], "total": int(total)}
    if total >= COUNT_CAP:
        result["total_is_lower_bound"] = True
    if facets:
        result["facets"] = {
            column: _facet(conn, base, column, params, expanding=bool(include_unlisted_ids))
            for column in ("category", "pricing")
        }
    return result


def _facet(
    conn: Connection, base: str, column: str, params: dict[str, Any], *, expanding: bool
) -> dict[str, int]:
    """Match counts per value of ``column`` over the same filtered set."""
    stmt = text(f"SELECT p.{column} AS value, COUNT(*) AS n {base} GROUP BY p.{column}")
    if expanding:
        stmt = stmt.bindparams(bindparam("unlisted", expanding=True))
    return {row.value: int(row.n) for row in conn.execute(stmt, params)}


def find_package(conn: Connection, ref: str) -> dict[str, Any]:
    """A package by UUID or name, visible or not (callers apply visibility).

    Raises:
        PackageNotFound: No such package.
    """
    column = packages.c.id if _is_uuid(ref) else packages.c.name
    row = (
        conn.execute(
            select(
                packages,
                authors.c.name.label("author_name"),
                authors.c.verified.label("author_verified"),
            )
            .join(authors, authors.c.id == packages.c.owner_id)
            .where(column == ref)
        )
        .mappings()
        .first()
    )
    if row is None:
        raise PackageNotFound(f"no package '{ref}'", hint="search with 'argent marketplace search'")
    return dict(row)


def _is_uuid(ref: str) -> bool:
    try:
        uuid.UUID(ref)
    except ValueError:
        return False
    return True


def _summary(findings: list[dict[str, Any]]) -> dict[str, Any]:
    counts = Counter(f.get("severity", "info") for f in findings)
    return {"findings": len(findings), "by_severity": dict(sorted(counts.items()))}


def package_details(conn: Connection, ref: str) -> dict[str, Any]:
    """The details endpoint's answer: CatalogItem + latest + versions.

    Raises:
        PackageNotFound: No such package, or nothing of it is visible.
    """
    package = find_package(conn, ref)
    if package["latest_version_id"] is None or not package["listed"]:
        raise PackageNotFound(f"no package '{ref}'", hint="check the name")
    rows = (
        conn.execute(
            select(versions).where(
                versions.c.package_id == package["id"], versions.c.status == "published"
            )
        )
        .mappings()
        .all()
    )
    ordered = sorted(rows, key=lambda r: precedence(r["version"]), reverse=True)
    latest = next(r for r in ordered if r["id"] == package["latest_version_id"])
    findings = json.loads(latest["findings"])
    item = catalog_item(package)
    item.update(
        version_count=len(ordered),
        latest={
            "version": latest["version"],
            "changelog": latest["changelog"],
            "min_argent_version": latest["argentos_range"],
            "tools": json.loads(latest["tools"]),
            "permissions": json.loads(latest["permissions"]),
            "sha256": latest["sha256"],
            "size": int(latest["size"]),
            "published_at": iso_time(latest["published_at"]),
        },
        permissions=json.loads(latest["permissions"]),
        scan=_summary(findings),
        versions=[
            {
                "version": r["version"],
                "changelog": r["changelog"],
                "yanked": bool(r["yanked"]),
                "published_at": iso_time(r["published_at"]),
                "sha256": r["sha256"],
                "size": int(r["size"]),
            }
            for r in ordered
        ],
    )
    return item


def refresh_package(conn: Connection, package_id: str, *, now: datetime) -> None:
    """Recompute ``latest`` and the denormalised, searchable fields of one package."""
    rows = conn.execute(
        select(versions.c.id, versions.c.version, versions.c.manifest).where(
            versions.c.package_id == package_id,
            versions.c.status == "published",
            versions.c.yanked.is_(False),
        )
    ).all()
    if not rows:
        conn.execute(
            update(packages)
            .where(packages.c.id == package_id)
            .values(latest_version_id=None, latest_version=None, updated_at=now)
        )
        unindex_package(conn, package_id)
        return
    releases = [r for r in rows if not is_prerelease(r.version)] or rows
    best = max(releases, key=lambda r: precedence(r.version))
    manifest = json.loads(best.manifest)
    values = {
        "latest_version_id": best.id,
        "latest_version": best.version,
        "display_name": manifest.get("display_name") or manifest["name"],
        "description": manifest["description"],
        "category": manifest["category"],
        "tags": json.dumps(manifest["tags"]),
        "pricing": manifest["pricing"],
        "price_cents": manifest["price_cents"],
        "updated_at": now,
    }
    conn.execute(update(packages).where(packages.c.id == package_id).values(**values))
    index_package(conn, {"id": package_id, "name": manifest["name"], **values})


def count_download(conn: Connection, package_id: str, version_id: str) -> None:
    """One download of one version, counted atomically in the database."""
    conn.execute(
        update(versions)
        .where(versions.c.id == version_id)
        .values(downloads=versions.c.downloads + 1)
    )
    conn.execute(
        update(packages)
        .where(packages.c.id == package_id)
        .values(total_downloads=packages.c.total_downloads + 1)
    )


def version_count(conn: Connection, package_id: str) -> int:
    """Published versions of a package."""
    return int(
        conn.execute(
            select(func.count())
            .select_from(versions)
            .where(versions.c.package_id == package_id, versions.c.status == "published")
        ).scalar_one()
    )


def author_packages(conn: Connection, author_id: str) -> list[dict[str, Any]]:
    """Every version an author uploaded, whatever its status, with the moderators' reasons."""
    rows = (
        conn.execute(
            select(
                packages.c.id.label("package_id"),
                packages.c.name,
                packages.c.latest_version,
                versions.c.id,
                versions.c.version,
                versions.c.status,
                versions.c.yanked,
                versions.c.findings,
                versions.c.review_reason,
                versions.c.created_at,
                versions.c.sha256,
            )
            .join(versions, versions.c.package_id == packages.c.id)
            .where(packages.c.owner_id == author_id)
            .order_by(packages.c.name, versions.c.created_at)
        )
        .mappings()
        .all()
    )
    grouped: dict[str, dict[str, Any]] = {}
    for r in rows:
        entry = grouped.setdefault(
            r["name"],
            {
                "id": r["package_id"],
                "name": r["name"],
                "latest_version": r["latest_version"],
                "versions": [],
            },
        )
        entry["versions"].append(
            {
                "id": r["id"],
                "version": r["version"],
                "status": r["status"],
                "yanked": bool(r["yanked"]),
                "findings": json.loads(r["findings"]),
                "review_reason": r["review_reason"],
                "sha256": r["sha256"],
                "created_at": iso_time(r["created_at"]),
            }
        )
    return list(grouped.values())


def author_keys(conn: Connection, ref: str) -> dict[str, Any]:
    """The signing keys of a package's author, revoked ones included, for clients to pin.

    Raises:
        PackageNotFound: No such visible package.
    """
    package = find_package(conn, ref)
    if package["latest_version_id"] is None:
        raise PackageNotFound(f"no package '{ref}'")
    rows = (
        conn.execute(
            select(author_keys_table)
            .where(author_keys_table.c.author_id == package["owner_id"])
            .order_by(author_keys_table.c.created_at)
        )
        .mappings()
        .all()
    )
    return {
        "package": package["name"],
        "author_name": package["author_name"],
        "keys": [
            {
                "public_key": r["public_key"],
                "fingerprint": r["fingerprint"],
                "created_at": iso_time(r["created_at"]),
                "revoked_at": iso_time(r["revoked_at"]),
            }
            for r in rows
        ],
    }
