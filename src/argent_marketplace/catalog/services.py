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
import re
import uuid
from collections import Counter
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    RowMapping,
    TextClause,
    and_,
    bindparam,
    delete,
    func,
    insert,
    select,
    text,
    true,
    update,
)

from argent_marketplace.accounts.models import author_keys as author_keys_table
from argent_marketplace.accounts.models import authors
from argent_marketplace.catalog.errors import PackageNotFound
from argent_marketplace.catalog.models import catalog_counts, packages, versions
from argent_marketplace.catalog.search import (
    BUCKET_SHIFT,
    follow_downloads,
    fts_query,
    index_package,
    query_words,
    ts_query,
    unindex_package,
)
from argent_marketplace.catalog.semver import is_prerelease, precedence
from argent_marketplace.package.compat import parse_range

__all__ = [
    "SORTS",
    "author_keys",
    "author_packages",
    "catalog_item",
    "count_download",
    "find_package",
    "iso_time",
    "package_details",
    "recount_catalog",
    "refresh_package",
    "search",
    "set_listed",
    "unknown_package",
]

SORTS = ("relevance", "downloads", "updated", "name")
# Relevance ranks the RANK_WINDOW most-downloaded matches of a text query (plus exact
# names); scoring every match of a broad word cost more than the page budget. A text
# query's total comes from the same read, so it is exact up to COUNT_CAP matches.
RANK_WINDOW = 500
COUNT_CAP = RANK_WINDOW
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

    ``total`` is exact for browsing, a category or a pricing model (kept in
    ``catalog_counts``). For text and tags it counts matches up to ``COUNT_CAP``;
    beyond, it says ``COUNT_CAP`` and the answer carries ``total_is_lower_bound``.
    Relevance ranks the exact-name matches first, then the ``RANK_WINDOW``
    most-downloaded matches by relevance, then any further matches by downloads.

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
    query = _Query(
        dialect=conn.dialect.name,
        words=words,
        limit=max(1, min(limit, MAX_LIMIT)),
        offset=max(0, offset),
        expanding=bool(include_unlisted_ids),
    )
    params = query.params
    visible = "p.listed"
    if include_unlisted_ids:
        visible = "(p.listed OR p.id IN :unlisted)"
        params["unlisted"] = tuple(include_unlisted_ids)
    where = [visible, "p.latest_version_id IS NOT NULL"]
    if category:
        where.append("p.category = :category")
        params["category"] = category
    if pricing:
        where.append("p.pricing = :pricing")
        params["pricing"] = pricing
    for i, tag in enumerate(tags or []):
        where.append(f"p.tags LIKE :tag{i}")
        params[f"tag{i}"] = "%" + json.dumps(tag) + "%"
    query.where = " AND ".join(where)
    sort = sort if sort in SORTS else "relevance"
    if sort == "relevance" and not words:
        sort = "downloads"  # nothing to rank by: browse by popularity
    # Counted once and kept up to date: no filter but category and pricing.
    counted = not words and not tags and not include_unlisted_ids
    matches: int | None = None  # how many match, when the page's own read tells
    complete = False  # ... and whether that is all of them
    if words and sort in ("relevance", "downloads"):
        rows, matches, complete = _windowed(conn, query, ranked=sort == "relevance", q=q)
    else:
        rows = _page(conn, query, sort)
    if counted:
        total, capped = _listed_total(conn, category, pricing), False
    else:
        if matches is None:
            matches = _capped_count(conn, query)
        total = min(matches, COUNT_CAP)
        capped = matches > COUNT_CAP or (matches == COUNT_CAP and not complete)
    result: dict[str, Any] = {"items": [catalog_item(r) for r in rows], "total": int(total)}
    if capped:
        result["total_is_lower_bound"] = True
    if facets:
        result["facets"] = {
            column: _listed_facet(conn, column, category, pricing)
            if counted
            else _facet(conn, query, column)
            for column in ("category", "pricing")
        }
    return result


class _Query:
    """The parts of one search the statements below share."""

    def __init__(
        self, *, dialect: str, words: list[str], limit: int, offset: int, expanding: bool
    ) -> None:
        self.dialect = dialect
        self.words = words
        self.expanding = expanding
        self.where = ""
        self.params: dict[str, Any] = {"limit": limit, "offset": offset}
        if words and dialect == "sqlite":
            self.params["fts"] = fts_query(words)
        elif words:
            self.params["tsq"] = ts_query(words)

    @property
    def source(self) -> str:
        """``FROM ... WHERE ...`` over every match (the page and counts join authors later)."""
        if not self.words:
            return f"FROM packages p WHERE {self.where}"
        if self.dialect == "sqlite":
            # The FTS index drives; the covering index on search_rowid answers the filters.
            return (
                "FROM package_search CROSS JOIN packages p "
                "ON p.search_rowid = package_search.rowid "
                f"WHERE package_search MATCH :fts AND {self.where}"
            )
        return (
            f"FROM packages p WHERE p.search_vector @@ to_tsquery('simple', :tsq) AND {self.where}"
        )

    def text(self, sql: str) -> TextClause:
        return _statement(sql, self.expanding)


@lru_cache(maxsize=512)
def _statement(sql: str, expanding: bool) -> TextClause:
    """A statement object per distinct SQL text, built once (its parsing was ~3% of a search).

    The SQL is made of fixed fragments only (values are bound), so the texts are few.
    """
    stmt = text(sql)
    if expanding:
        stmt = stmt.bindparams(bindparam("unlisted", expanding=True))
    return stmt


def _page(conn: Connection, query: _Query, sort: str) -> list[RowMapping]:
    """One page in a plain order (browse, a filter, or text sorted by update or name)."""
    order = {
        "downloads": "p.total_downloads DESC, p.name",
        "updated": "p.updated_at DESC, p.name",
        "name": "p.name",
    }[sort]
    # Only fixed fragments are formatted into the SQL; every user value is a bound parameter.
    stmt = query.text(
        f"SELECT {_ITEM_COLUMNS} FROM (SELECT p.id {query.source} "  # noqa: S608
        f"ORDER BY {order} LIMIT :limit OFFSET :offset) AS hit "
        "JOIN packages p ON p.id = hit.id JOIN authors a ON a.id = p.owner_id "
        f"ORDER BY {order}"
    )
    return list(conn.execute(stmt, query.params).mappings().all())


def _windowed(
    conn: Connection, query: _Query, *, ranked: bool, q: str
) -> tuple[list[RowMapping], int | None, bool]:
    """Text matches by relevance or downloads, looking at the top of the downloads order only.

    The order: exact-name matches first (relevance only), then the ``RANK_WINDOW``
    most-downloaded other matches (by relevance, or by downloads), then every other
    match by downloads. Only the first ``max(RANK_WINDOW, offset + limit)`` matches by
    downloads are read, however many there are.

    Returns:
        The page; the number of matches when the page shows it (``None`` when the page
        is empty; at least ``RANK_WINDOW`` when the window is full); and whether that
        number is exact.
    """
    params = query.params
    k = max(RANK_WINDOW, params["offset"] + params["limit"])
    params.update(k=k, window=RANK_WINDOW, scan=k + k // 2)
    if ranked:
        params["exact"] = q.strip().lower()
        params["exact_aos"] = "aos-" + q.strip().lower()
    sql = _window_sql(query, ranked=ranked, deep=k > RANK_WINDOW)
    rows = list(conn.execute(query.text(sql), params).mappings().all())
    if not rows:
        return rows, None, False
    n_top, n_exact = int(rows[0]["n_top"]), int(rows[0]["n_exact"])
    return rows, n_top + n_exact, n_top < k


def _window_sql(query: _Query, *, ranked: bool, deep: bool) -> str:
    """The one statement behind ``_windowed``, per dialect.

    ``top`` holds the first ``:k`` non-exact matches by downloads, with their rank ``r``
    (lower first); ``deep`` pages also number them (``pos``) to tell the window apart.
    """
    others = " AND p.name NOT IN (:exact, :exact_aos)" if ranked else ""
    numbered = ", row_number() OVER (ORDER BY total_downloads DESC, name) AS pos" if deep else ""
    if query.dialect == "sqlite":
        rank = "bm25(package_search, 10.0, 8.0, 1.0, 4.0)" if ranked else "0"
        matches = (
            f"SELECT package_search.rowid AS srow, {rank} AS r, p.id, p.total_downloads, p.name "
            f"{query.source}{others}"
        )
        # FTS5 hands matches out from the highest rowid down: by popularity bucket. Every
        # match below the bucket of the k-th one read has fewer downloads than the first k,
        # so the top k by downloads are among the matches of that bucket and above. The
        # read goes half past k, which usually finishes that bucket; when it does not,
        # ``rest`` reads the remainder (a second FTS5 query costs a fixed 1-3 ms).
        shift = BUCKET_SHIFT
        top = (
            f"head AS ({matches} ORDER BY package_search.rowid DESC LIMIT :scan), "  # noqa: S608 - fixed fragments
            "edge AS (SELECT count(*) AS got, min(srow) AS last, "
            "(SELECT srow FROM head ORDER BY srow DESC LIMIT 1 OFFSET :k - 1) AS kth FROM head), "
            f"rest AS ({matches} "
            f"AND package_search.rowid >= ((SELECT kth FROM edge) >> {shift}) << {shift} "
            "AND package_search.rowid < (SELECT last FROM edge) "
            "AND (SELECT got FROM edge) = :scan "
            f"AND (SELECT last >> {shift} = kth >> {shift} FROM edge)), "
            f"top AS (SELECT id, total_downloads, name, r{numbered} "
            "FROM (SELECT * FROM head UNION ALL SELECT * FROM rest) AS read_ "
            "ORDER BY total_downloads DESC, name LIMIT :k)"
        )
        exact = (
            f"exact AS (SELECT p.id, p.total_downloads, p.name, {rank} AS r "  # noqa: S608 - fixed fragments
            "FROM packages p CROSS JOIN package_search ON package_search.rowid = p.search_rowid "
            f"WHERE p.name IN (:exact, :exact_aos) AND package_search MATCH :fts AND {query.where})"
        )
    else:
        rank = "-ts_rank(search_vector, to_tsquery('simple', :tsq))" if ranked else "0"
        vector = ", p.search_vector" if ranked else ""
        # The planner walks the downloads index for a broad word, the GIN index for a rare one.
        top = (
            f"head AS MATERIALIZED (SELECT p.id, p.total_downloads, p.name{vector} "  # noqa: S608 - fixed fragments
            f"{query.source}{others} ORDER BY p.total_downloads DESC, p.name LIMIT :k), "
            f"top AS MATERIALIZED (SELECT id, total_downloads, name, {rank} AS r{numbered} "
            "FROM head)"
        )
        exact = (
            f"exact AS MATERIALIZED (SELECT p.id, p.total_downloads, p.name, {rank} AS r "  # noqa: S608 - fixed fragments
            f"FROM packages p WHERE p.name IN (:exact, :exact_aos) "
            f"AND p.search_vector @@ to_tsquery('simple', :tsq) AND {query.where})"
        )
    # tier 0: exact names; 1: the window, by rank; 2 (deep pages): after it, by downloads.
    tier = "1 AS tier, 0 AS pos"
    if deep:
        tier = "CASE WHEN pos <= :window THEN 1 ELSE 2 END AS tier, pos"
    hits = f"hits AS (SELECT {tier}, r, id, total_downloads, name FROM top)"  # noqa: S608 - fixed fragments
    n_exact = "0"
    if ranked:
        hits = (
            f"{exact}, hits AS (SELECT 0 AS tier, 0 AS pos, r, id, total_downloads, name "  # noqa: S608 - fixed fragments
            f"FROM exact UNION ALL SELECT {tier}, r, id, total_downloads, name FROM top)"
        )
        n_exact = "(SELECT count(*) FROM exact)"
    order = "tier, CASE WHEN tier = 2 THEN pos END, r, total_downloads DESC, name"
    outer = (
        "page.tier, CASE WHEN page.tier = 2 THEN page.pos END, page.r, "
        "page.total_downloads DESC, page.name"
    )
    return (
        f"WITH {top}, {hits}, "  # noqa: S608 - fixed fragments
        f"page AS (SELECT * FROM hits ORDER BY {order} LIMIT :limit OFFSET :offset) "
        f"SELECT {_ITEM_COLUMNS}, (SELECT count(*) FROM top) AS n_top, {n_exact} AS n_exact "
        "FROM page JOIN packages p ON p.id = page.id JOIN authors a ON a.id = p.owner_id "
        f"ORDER BY {outer}"
    )


def _capped_count(conn: Connection, query: _Query) -> int:
    """Matches up to ``COUNT_CAP`` (counting every match of a broad query costs more)."""
    stmt = query.text(
        f"SELECT COUNT(*) FROM (SELECT 1 {query.source} LIMIT :count_cap) AS m"  # noqa: S608
    )
    return int(conn.execute(stmt, {**query.params, "count_cap": COUNT_CAP}).scalar_one())


def _facet(conn: Connection, query: _Query, column: str) -> dict[str, int]:
    """Match counts per value of ``column`` over the same filtered set (every match)."""
    stmt = query.text(
        f"SELECT p.{column} AS value, COUNT(*) AS n {query.source} GROUP BY p.{column}"
    )
    return {row.value: int(row.n) for row in conn.execute(stmt, query.params)}


def _counts_filter(category: str | None, pricing: str | None) -> ColumnElement[bool]:
    conditions: list[ColumnElement[bool]] = [true()]
    if category:
        conditions.append(catalog_counts.c.category == category)
    if pricing:
        conditions.append(catalog_counts.c.pricing == pricing)
    return and_(*conditions)


def _listed_total(conn: Connection, category: str | None, pricing: str | None) -> int:
    """Listed, visible packages in a category and/or pricing model, from ``catalog_counts``."""
    stmt = select(func.coalesce(func.sum(catalog_counts.c.packages), 0)).where(
        _counts_filter(category, pricing)
    )
    return int(conn.execute(stmt).scalar_one())


def _listed_facet(
    conn: Connection, column: str, category: str | None, pricing: str | None
) -> dict[str, int]:
    """``_facet`` for the counted cases, from ``catalog_counts``."""
    key = catalog_counts.c[column]
    n = func.sum(catalog_counts.c.packages)
    stmt = select(key, n).where(_counts_filter(category, pricing)).group_by(key).having(n > 0)
    return {value: int(count) for value, count in conn.execute(stmt)}


def find_package(conn: Connection, ref: str) -> dict[str, Any]:
    """A package by UUID or name, visible or not (callers apply visibility).

    Raises:
        PackageNotFound: No such package.
    """
    key = canonical_ref(ref)
    column = packages.c.id if _is_uuid(key) else packages.c.name
    row = (
        conn.execute(
            select(
                packages,
                authors.c.name.label("author_name"),
                authors.c.verified.label("author_verified"),
            )
            .join(authors, authors.c.id == packages.c.owner_id)
            .where(column == key)
        )
        .mappings()
        .first()
    )
    if row is None:
        raise unknown_package(ref)
    return dict(row)


def _never(_package_id: str) -> bool:
    return False


def _visible_package(conn: Connection, ref: str, opens: Callable[[str], bool]) -> dict[str, Any]:
    """A package with a published version that the caller may see (listed, or opened).

    ``opens`` is asked only about an unlisted package (it looks up a license key), so a
    listed one costs no license lookup, whatever headers the client sends.

    Raises:
        PackageNotFound: Otherwise, worded as for a name nobody has.
    """
    package = find_package(conn, ref)
    if package["latest_version_id"] is None or (not package["listed"] and not opens(package["id"])):
        raise unknown_package(ref)
    return package


def unknown_package(ref: str) -> PackageNotFound:
    """The one answer for a name nobody may see: unknown, unpublished or org-private.

    Every such case must read the same, or the difference tells a stranger that a
    private or held package exists.
    """
    return PackageNotFound(f"no package '{ref}'", hint="search with 'argent marketplace search'")


def canonical_ref(ref: str) -> str:
    """The stored form of a package reference: ids in lower case, names as published.

    Names are lower-case ASCII with single hyphens (the manifest's rule), so
    ``AOS-Airtable`` and ``aos_airtable`` can only mean ``aos-airtable``; a UUID is
    matched whatever its case or braces. Anything else is left as it is (and not found).
    """
    if _is_uuid(ref):
        return str(uuid.UUID(ref))
    return _NAME_SEPARATORS.sub("-", ref.strip()).lower()


_NAME_SEPARATORS = re.compile(r"[-_.]+")


def _is_uuid(ref: str) -> bool:
    if len(ref) > 38:  # uuid.UUID also accepts "urn:uuid:" forms; ids are never those
        return False
    try:
        uuid.UUID(ref)
    except ValueError:
        return False
    return True


def _minimum(argentos_range: str) -> str:
    """The lowest ArgentOS version a stored range names (``""`` when it has none)."""
    try:
        return parse_range(argentos_range).minimum()
    except ValueError:  # stored ranges were checked at publish; an old row may differ
        return ""


def _summary(findings: list[dict[str, Any]]) -> dict[str, Any]:
    counts = Counter(f.get("severity", "info") for f in findings)
    return {"findings": len(findings), "by_severity": dict(sorted(counts.items()))}


def package_details(
    conn: Connection, ref: str, opens: Callable[[str], bool] = _never
) -> dict[str, Any]:
    """The details endpoint's answer: CatalogItem + latest + versions.

    Args:
        conn: A connection.
        ref: Package id or name.
        opens: Whether the caller's license opens an unlisted (org-private) package, by
            id; any other unlisted package is answered as unknown.

    Raises:
        PackageNotFound: No such package, or nothing of it is visible to the caller.
    """
    package = _visible_package(conn, ref, opens)
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
            "changelog": latest["changelog"] or "",
            "min_argent_version": _minimum(latest["argentos_range"]),
            "argentos_range": latest["argentos_range"],
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
                "changelog": r["changelog"] or "",
                "yanked": bool(r["yanked"]),
                "published_at": iso_time(r["published_at"]),
                "sha256": r["sha256"],
                "size": int(r["size"]),
            }
            for r in ordered
        ],
    )
    return item


def _listing_key(row: Mapping[Any, Any]) -> tuple[str, str] | None:
    """Where a package counts in ``catalog_counts``: ``None`` when the catalog hides it."""
    if not row["listed"] or row["latest_version_id"] is None:
        return None
    return (row["category"], row["pricing"])


def _move_count(
    conn: Connection, before: tuple[str, str] | None, after: tuple[str, str] | None
) -> None:
    """Move one package between ``catalog_counts`` rows (rows locked in a fixed order)."""
    if before == after:
        return
    deltas = sorted([(key, -1) for key in [before] if key] + [(key, 1) for key in [after] if key])
    for (category, pricing), delta in deltas:
        conn.execute(
            text(
                "INSERT INTO catalog_counts (category, pricing, packages) "
                "VALUES (:category, :pricing, :delta) ON CONFLICT (category, pricing) "
                "DO UPDATE SET packages = catalog_counts.packages + excluded.packages"
            ),
            {"category": category, "pricing": pricing, "delta": delta},
        )


def _locked_package(conn: Connection, package_id: str) -> RowMapping:
    """The package row, locked until commit on PostgreSQL (SQLite has one writer)."""
    return (
        conn.execute(select(packages).where(packages.c.id == package_id).with_for_update())
        .mappings()
        .one()
    )


def refresh_package(conn: Connection, package_id: str, *, now: datetime) -> None:
    """Recompute ``latest``, the denormalised searchable fields and the catalog counts."""
    before = _locked_package(conn, package_id)
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
        unindex_package(conn, package_id, before["search_rowid"])
        _move_count(conn, _listing_key(before), None)
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
    after = {**before, **values}
    index_package(conn, {**after, "name": manifest["name"]})
    _move_count(conn, _listing_key(before), _listing_key(after))


def set_listed(conn: Connection, package_id: str, listed: bool) -> None:
    """Show a package in the public catalog, or make it org-private (licensed catalog only)."""
    before = _locked_package(conn, package_id)
    conn.execute(update(packages).where(packages.c.id == package_id).values(listed=listed))
    _move_count(conn, _listing_key(before), _listing_key({**before, "listed": listed}))


def recount_catalog(conn: Connection) -> None:
    """Rebuild ``catalog_counts`` from the packages (a bulk load, or to check it)."""
    conn.execute(delete(catalog_counts))
    visible = packages.c.listed.is_(True) & packages.c.latest_version_id.is_not(None)
    conn.execute(
        insert(catalog_counts).from_select(
            ["category", "pricing", "packages"],
            select(packages.c.category, packages.c.pricing, func.count())
            .where(visible)
            .group_by(packages.c.category, packages.c.pricing),
        )
    )


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
    follow_downloads(conn, package_id)


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


def author_keys(
    conn: Connection, ref: str, opens: Callable[[str], bool] = _never
) -> dict[str, Any]:
    """The signing keys of a package's author, revoked ones included, for clients to pin.

    Args:
        conn: A connection.
        ref: Package id or name.
        opens: As for :func:`package_details`.

    Raises:
        PackageNotFound: No such visible package.
    """
    package = _visible_package(conn, ref, opens)
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
