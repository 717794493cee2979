"""Catalog latency and throughput at 100,000 packages, on SQLite and on PostgreSQL.

For each backend the script:

1. seeds N packages (default 100,000) straight into a fresh database with SQLAlchemy
   Core bulk inserts: authors and their keys, packages, 1-3 published versions each,
   and the search index (the FTS5 table on SQLite, ``packages.search_vector`` on
   PostgreSQL). The rows are those the publish pipeline writes (``store_version``,
   ``refresh_package``, ``index_package``); a fidelity check re-runs
   ``refresh_package`` on a sample inside a rolled-back transaction and requires it
   to change nothing but ``updated_at``;
2. times the catalog calls in-process (``catalog.search`` / ``package_details``) and
   each SQL statement they issue, replayed on the raw DBAPI cursor (``--explain``
   also prints the query plans);
3. starts ``argent-marketplace serve --workers 2`` on a free loopback port against
   that database and drives it with a keep-alive HTTP/1.1 client on asyncio, per
   scenario: browse, text query (common word, rare word), category filter, details
   by name, and a mix of all. Each scenario runs three ways: one client in sequence
   (latency without queueing), 4 concurrent connections ("moderate": the latency
   targets are judged here) and 32 concurrent connections (saturation: the
   requests/s target is judged here).

Targets (from the issue), on this 2-core machine at 100k packages, both backends:
search p50 < 10 ms and p99 < 50 ms; >= 500 catalog requests/s with 2 workers.

Run: ``.venv/bin/python benchmarks/bench_catalog.py [--packages N] [--quick]
[--backends sqlite,postgres] [--explain] [--check]``. PostgreSQL: a throwaway
database is created on ``$ARGENT_BENCH_PG_URL`` (default
``postgresql://127.0.0.1:5432/test``, loopback only) and dropped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import platform
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import psycopg
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Connection, Engine, event, insert, select, text

from argent_marketplace.accounts.models import author_keys, authors
from argent_marketplace.accounts.services import _normalize_name
from argent_marketplace.catalog import services as catalog
from argent_marketplace.catalog.models import catalog_counts, packages, versions
from argent_marketplace.catalog.search import BUCKET_SHIFT, popularity_bucket, search_rowid
from argent_marketplace.catalog.semver import is_prerelease, precedence
from argent_marketplace.db.engine import make_engine, sqlite_url
from argent_marketplace.db.migrate import upgrade
from argent_marketplace.package.manifest import CATEGORIES, manifest_problems
from argent_marketplace.package.signing import fingerprint, public_key_b64
from argent_marketplace.storage.interfaces import blob_key
from bench_verify import python_speed, table, verdict

PG_ADMIN_URL = os.environ.get("ARGENT_BENCH_PG_URL", "postgresql://127.0.0.1:5432/test")
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
WORKERS = 2

TARGET_P50_MS = 10.0
TARGET_P99_MS = 50.0
TARGET_RPS = 500.0

# (phase, concurrent connections, max requests, max seconds); --quick divides both caps.
PHASES = (("sequential", 1, 300, 3.0), ("moderate", 4, 1000, 4.0), ("saturation", 32, 3000, 4.0))
LATENCY_PHASE = "moderate"  # the latency targets are judged here
THROUGHPUT_PHASE = "saturation"  # the requests/s target is judged here
SEARCH_SCENARIOS = ("browse", "text-common", "text-rare", "category")

# --- vocabulary -------------------------------------------------------------------------


def _w(text_: str) -> list[str]:
    return text_.split()


SERVICES = _w(
    "airtable asana bamboohr basecamp bigquery bitbucket box calendly circleci clickup "
    "confluence contentful datadog discord docusign dropbox elastic figma freshdesk "
    "freshsales github gitlab gmail gong greenhouse gusto harvest hubspot intercom jenkins "
    "jira klaviyo lever linear looker mailchimp marketo miro mixpanel monday netsuite notion "
    "okta onedrive opsgenie outlook pagerduty paypal pipedrive posthog quickbooks redshift "
    "salesforce segment sendgrid sentry servicenow shopify slack smartsheet snowflake splunk "
    "square stripe supabase teams todoist trello twilio typeform vercel webex webflow wix "
    "woocommerce workday xero youtube zapier zendesk zoho zoom"
)
GENERIC = _w(
    "sync export import bridge reports alerts bot crm tickets invoices records search backup "
    "notify analytics metrics calendar contacts files docs tasks leads billing payroll "
    "inventory orders webhooks admin audit chat forms issues deploy monitor digest triage "
    "summary assistant pipeline scheduler archive insights"
)
# Nouns of descriptions, most frequent first (drawn with Zipf weights 1/rank).
NOUNS = _w(
    "data records api workspace messages reports tasks customers tickets files events users "
    "projects contacts teams dashboards accounts channels invoices issues documents orders "
    "payments alerts calendar notes leads deals pipelines workflows schedules metrics logs "
    "queries tables fields views comments attachments approvals budgets campaigns emails "
    "forms surveys repositories builds deployments incidents releases sprints boards cards "
    "labels members groups roles permissions tokens webhooks subscriptions products inventory "
    "shipments refunds disputes payouts employees candidates interviews timesheets expenses "
    "vendors contracts assets devices sites pages articles posts threads replies mentions "
    "reactions uploads folders drives spreadsheets sheets rows columns formulas charts "
    "segments audiences cohorts funnels experiments flags features feedback reviews ratings "
    "bookings meetings recordings transcripts summaries translations backups snapshots "
    "exports imports migrations mappings templates policies rules audits checks scans "
    "vulnerabilities secrets keys certificates domains routes endpoints requests responses "
    "errors retries quotas limits usage costs"
)
VERBS = _w(
    "read list create update delete search export import sync archive watch summarize triage "
    "route tag assign approve schedule notify"
)
# Each description mentions one of these with probability RARE_P: ~100 packages per word
# at 100k packages.
RARE_WORDS = _w(
    "geofencing escrow telemetry kanban okrs chargebacks dunning barcodes rfid webinars "
    "podcasts transcoding watermarks ocr redaction esignatures notarization hl7 fhir edifact "
    "sftp ldap scim saml oauth2 yubikey dnssec parquet avro protobuf graphql grpc websockets "
    "mqtt lorawan modbus opcua zigbee homekit plaid sepa iban payslips rostering telematics "
    "dispatch crontab hubspotql netflow syslog sbom cyclonedx spdx terraform pulumi helm "
    "kustomize argocd flux tekton"
)
RARE_P = 0.06
TAGS = _w(
    "productivity data-ops crm messaging devops finance sales marketing support analytics hr "
    "ecommerce security storage calendar email project-management automation ai reporting "
    "payments accounting database monitoring collaboration documents scheduling "
    "notifications ticketing cloud"
)
KINDS = {
    "connectors": "connector",
    "skills": "skill",
    "plugins": "plugin",
    "bundles": "bundle",
    "templates": "template",
}
CATEGORY_WEIGHTS = {"connectors": 55, "skills": 20, "plugins": 12, "templates": 8, "bundles": 5}
FIRST = _w(
    "Ada Alan Grace Linus Barbara Dennis Ken Margaret Guido Yukihiro Radia Frances Edsger "
    "Donald Leslie Tim Vint Bjarne Anders Rob Sophie Hedy Katherine Niklaus John Mary Ana "
    "Chen Priya Omar"
)
LAST = _w(
    "Lovelace Turing Hopper Torvalds Liskov Ritchie Thompson Hamilton Rossum Matsumoto "
    "Perlman Allen Dijkstra Knuth Lamport Berners Cerf Stroustrup Hejlsberg Pike Wilson "
    "Lamarr Johnson Wirth Backus Shaw Silva Wei Patel Haddad"
)
RESOURCES = _w("base table record user channel message ticket issue file event order invoice")
LICENSES = ("MIT", "Apache-2.0", "BSD-3-Clause", "MPL-2.0")
RANGES = (">=2026.1.0", ">=2026.3.0", ">=2026.6.0")
CHANGELOGS = (
    "First marketplace release.",
    "Fixes and small improvements.",
    "Adds pagination to list commands.",
    "Retries on rate limits; clearer errors.",
    "New search command; faster listing.",
)
COMMON_QUERIES = ("data", "records", "api", "connector", "sync")
RARE_QUERIES = RARE_WORDS[:20]
EPOCH_END = datetime(2026, 11, 1, tzinfo=UTC)


def _cum(n: int) -> list[float]:
    total, out = 0.0, []
    for rank in range(1, n + 1):
        total += 1.0 / rank
        out.append(total)
    return out


NOUN_CUM = _cum(len(NOUNS))
TAG_CUM = _cum(len(TAGS))

# --- seeding ----------------------------------------------------------------------------


@dataclass
class Author:
    id: str
    name: str
    public_key: str
    fingerprint: str


@dataclass
class Seeded:
    names: list[str]
    counts: dict[str, int]
    seconds: dict[str, float]
    db_bytes: int = 0


def _uuid(r: random.Random) -> str:
    return str(uuid.UUID(int=r.getrandbits(128), version=4))


def _join(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _description(r: random.Random, title: str, kind: str) -> str:
    clauses = []
    for _ in range(r.randint(1, 3)):
        verbs = r.sample(VERBS, r.randint(1, 2))
        nouns = list(dict.fromkeys(r.choices(NOUNS, cum_weights=NOUN_CUM, k=r.randint(1, 3))))
        clauses.append(f"{' and '.join(verbs)} {_join(nouns)}")
    out = f"{title} {kind}: " + "; ".join(clauses) + "."
    if r.random() < RARE_P:
        out += f" Supports {r.choice(RARE_WORDS)}."
    return out[0].upper() + out[1:]


def _tags(r: random.Random, service: str) -> list[str]:
    tags = list(dict.fromkeys(r.choices(TAGS, cum_weights=TAG_CUM, k=r.randint(1, 4))))
    if r.random() < 0.6:
        tags.insert(0, service)
    return list(dict.fromkeys(tags))


def _versions(r: random.Random) -> list[str]:
    count = r.choices((1, 2, 3), weights=(50, 30, 20))[0]
    major, minor, patch = (1, 0, 0) if r.random() < 0.7 else (0, r.randint(1, 9), 0)
    out = [f"{major}.{minor}.{patch}"]
    for _ in range(count - 1):
        step = r.random()
        if step < 0.6:
            patch += 1
        elif step < 0.9:
            minor, patch = minor + 1, 0
        else:
            major, minor, patch = major + 1, 0, 0
        out.append(f"{major}.{minor}.{patch}")
    if count > 1 and r.random() < 0.1:  # the newest upload is a prerelease of the next major
        out[-1] = f"{major + 1}.0.0-beta.1"
    return out


def _tools(r: random.Random) -> list[str]:
    tools = ["capabilities", "health", "config.show", "doctor"]
    for res in r.sample(RESOURCES, r.randint(1, 4)):
        tools += [f"{res}.{act}" for act in ("list", "read", "create", "update", "search")[
            : r.randint(1, 5)]]  # fmt: skip
    return tools


def _pricing(r: random.Random) -> tuple[str, int]:
    x = r.random()
    if x < 0.80:
        return "free", 0
    if x < 0.92:
        return "pro", r.choice((499, 900, 1500, 2900, 4900))
    if x < 0.96:
        return "trial", r.choice((900, 1900))
    if x < 0.99:
        return "enterprise", r.choice((9900, 49900))
    return "per-skill", r.choice((99, 199))


def _authors(r: random.Random, n: int) -> list[Author]:
    out = []
    for i in range(n):
        key = Ed25519PrivateKey.from_private_bytes(r.randbytes(32))
        pub = public_key_b64(key)
        name = f"{r.choice(FIRST)} {r.choice(LAST)} {i}"
        out.append(Author(_uuid(r), name, pub, fingerprint(pub)))
    return out


Row = dict[str, Any]


def _package(r: random.Random, i: int, owner: Author) -> tuple[Row, list[Row]]:
    """One package row and its version rows, as ``store_version`` + ``refresh_package`` write."""
    service, generic = r.choice(SERVICES), r.choice(GENERIC)
    name = f"aos-{service}-{generic}-{i}"
    category = r.choices(list(CATEGORY_WEIGHTS), weights=list(CATEGORY_WEIGHTS.values()))[0]
    title = f"{service.title()} {generic.title()}"
    pricing, cents = _pricing(r)
    base_manifest: dict[str, Any] = {
        "name": name,
        "display_name": title,
        "version": "",
        "description": _description(r, title, KINDS[category]),
        "author": {"name": owner.name, "publicKey": owner.public_key},
        "category": category,
        "tags": _tags(r, service),
        "license": r.choice(LICENSES),
        "pricing": pricing,
        "price_cents": cents,
        "compatibility": {"argentos": r.choice(RANGES)},
        "permissions": ["network"] + (["subprocess"] if r.random() < 0.05 else []),
        "homepage": f"https://example.com/{name}",
        "changelog": "",
    }
    tools = _tools(r)
    package_id = _uuid(r)
    moment = EPOCH_END - timedelta(days=r.uniform(30, 720))
    created = moment
    total = min(int(r.lognormvariate(4.0, 2.2)), 20_000_000)
    numbers = _versions(r)
    shares = [r.random() + 0.2 for _ in numbers]
    rows: list[dict[str, Any]] = []
    manifests: dict[str, dict[str, Any]] = {}
    spent = 0
    for n, version in enumerate(numbers):
        manifest = dict(base_manifest, version=version, changelog=r.choice(CHANGELOGS))
        manifests[version] = manifest
        sha = r.randbytes(32).hex()
        downloads = total - spent if n == len(numbers) - 1 else int(total * shares[n] / sum(shares))
        spent += downloads
        rows.append({
            "id": _uuid(r), "package_id": package_id, "version": version,
            "status": "published", "yanked": False, "sha256": sha,
            "size": r.randint(20_000, 400_000), "blob_key": blob_key(sha),
            "manifest": json.dumps(manifest, ensure_ascii=False),
            "changelog": manifest.get("changelog"),
            "permissions": json.dumps(manifest["permissions"]), "tools": json.dumps(tools),
            "argentos_range": manifest["compatibility"]["argentos"], "findings": json.dumps([]),
            "key_fingerprint": owner.fingerprint, "author_id": owner.id, "downloads": downloads,
            "review_reason": None, "created_at": moment, "published_at": moment,
        })  # fmt: skip
        moment += timedelta(days=r.uniform(2, 90), seconds=r.uniform(0, 86400))
    updated = rows[-1]["published_at"]  # refresh_package runs at every published upload
    # latest: the highest release (a package with only prereleases shows its highest)
    releases = [v for v in numbers if not is_prerelease(v)] or numbers
    best = max(releases, key=precedence)
    latest = manifests[best]
    package = {
        "id": package_id, "name": name, "owner_id": owner.id,
        "display_name": latest.get("display_name") or latest["name"],
        "description": latest["description"], "category": latest["category"],
        "tags": json.dumps(latest["tags"]), "pricing": latest["pricing"],
        "price_cents": latest["price_cents"], "listed": True,
        "latest_version_id": next(v["id"] for v in rows if v["version"] == best),
        "latest_version": best, "total_downloads": total, "rating": 0.0, "rating_count": 0,
        "created_at": created, "updated_at": updated,
    }  # fmt: skip
    return package, rows


# index_package's INSERT; the rowid puts the row in its popularity bucket, after the rows
# already there, as index_package numbers them.
FTS_INSERT = text(
    "INSERT INTO package_search (rowid, name, display_name, description, tags, package_id) "
    "VALUES (:rowid, :name, :display_name, :description, :tags, :id)"
)
# index_package's UPDATE, for every row at once: tags are the JSON list joined by spaces.
PG_INDEX_ALL = text(
    "UPDATE packages SET search_vector = "
    "setweight(to_tsvector('simple', replace(name, '-', ' ')), 'A') || "
    "setweight(to_tsvector('simple', display_name), 'A') || "
    "setweight(to_tsvector('simple', coalesce((SELECT string_agg(t.tag, ' ' ORDER BY t.n) "
    "FROM json_array_elements_text(tags::json) WITH ORDINALITY AS t(tag, n)), '')), 'B') || "
    "setweight(to_tsvector('simple', description), 'C')"
)


def seed(engine: Engine, n: int, seed_value: int = 20261126) -> Seeded:
    """Insert ``n`` packages with their versions, authors and search index."""
    r = random.Random(seed_value)
    dialect = engine.dialect.name
    t0 = time.perf_counter()
    writers = _authors(r, max(10, n // 25))
    # A few prolific authors, a long tail of one-package authors.
    owner_cum = _cum(len(writers))
    with engine.begin() as conn:
        conn.execute(insert(authors), [
            {"id": a.id, "name": a.name, "normalized_name": _normalize_name(a.name),
             "email": f"author{i}@example.com", "verified": r.random() < 0.05,
             "created_at": EPOCH_END - timedelta(days=800)}
            for i, a in enumerate(writers)
        ])  # fmt: skip
        conn.execute(insert(author_keys), [
            {"id": _uuid(r), "author_id": a.id, "public_key": a.public_key,
             "fingerprint": a.fingerprint, "created_at": EPOCH_END - timedelta(days=800),
             "revoked_at": None}
            for a in writers
        ])  # fmt: skip
    names: list[str] = []
    n_versions = 0
    in_bucket: dict[int, int] = {}  # FTS rows per popularity bucket so far (SQLite)
    t_generate = 0.0
    chunk = 10_000
    for start in range(0, n, chunk):
        g0 = time.perf_counter()
        package_rows, version_rows, fts_rows = [], [], []
        for i in range(start, min(n, start + chunk)):
            owner = r.choices(writers, cum_weights=owner_cum)[0]
            package, rows = _package(r, i, owner)
            package_rows.append(package)
            version_rows += rows
            names.append(package["name"])
            if dialect == "sqlite":
                bucket = popularity_bucket(package["total_downloads"])
                in_bucket[bucket] = in_bucket.get(bucket, 0) + 1
                package["search_rowid"] = search_rowid(bucket, in_bucket[bucket])
                fts_rows.append({
                    "rowid": package["search_rowid"],
                    "name": package["name"].replace("-", " "),
                    "display_name": package["display_name"],
                    "description": package["description"],
                    "tags": " ".join(json.loads(package["tags"])), "id": package["id"],
                })  # fmt: skip
        t_generate += time.perf_counter() - g0
        n_versions += len(version_rows)
        with engine.begin() as conn:
            conn.execute(insert(packages), package_rows)
            conn.execute(insert(versions), version_rows)
            if fts_rows:
                conn.execute(FTS_INSERT, fts_rows)
    with engine.begin() as conn:
        catalog.recount_catalog(conn)  # what refresh_package keeps up to date one by one
    t_rows = time.perf_counter() - t0
    t1 = time.perf_counter()
    if dialect == "postgresql":
        with engine.begin() as conn:
            conn.execute(PG_INDEX_ALL)
        # What autovacuum does shortly after a bulk change: planner statistics, visibility map.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    else:
        # The app never runs ANALYZE on SQLite: no sqlite_stat1, as in a real deployment.
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    t_index = time.perf_counter() - t1
    return Seeded(
        names=names,
        counts={"authors": len(writers), "packages": n, "versions": n_versions},
        seconds={"generate": t_generate, "insert": t_rows - t_generate, "index": t_index},
    )


def _index_row(conn: Connection, package_id: str) -> Any:
    if conn.dialect.name == "sqlite":
        return conn.execute(
            text("SELECT name, display_name, description, tags FROM package_search "
                 "WHERE package_id = :id"), {"id": package_id},
        ).all()  # fmt: skip
    return conn.execute(
        text("SELECT search_vector::text FROM packages WHERE id = :id"), {"id": package_id}
    ).scalar_one()


def fidelity_check(engine: Engine, names: list[str], samples: int = 40) -> list[str]:
    """Re-run the app's own bookkeeping on seeded rows; it must change nothing.

    Returns the problems found (empty when the seeded rows are what the app writes).
    """
    problems: list[str] = []
    r = random.Random(7)
    picked = r.sample(names, min(samples, len(names)))
    counts = select(catalog_counts).order_by(catalog_counts.c.category, catalog_counts.c.pricing)
    with engine.connect() as conn:
        trans = conn.begin()
        try:
            counts_before = conn.execute(counts).all()
            for name in picked:
                before = dict(
                    conn.execute(select(packages).where(packages.c.name == name)).mappings().one()
                )
                index_before = _index_row(conn, before["id"])
                catalog.refresh_package(conn, before["id"], now=EPOCH_END)
                after = dict(
                    conn.execute(select(packages).where(packages.c.name == name)).mappings().one()
                )
                for key, value in before.items():
                    if key in ("updated_at", "search_rowid"):
                        continue  # reindexing takes the next rowid in the same bucket
                    if value != after[key]:
                        problems.append(f"{name}: {key} {value!r} -> {after[key]!r}")
                if conn.dialect.name == "sqlite" and (
                    before["search_rowid"] >> BUCKET_SHIFT != after["search_rowid"] >> BUCKET_SHIFT
                ):
                    problems.append(f"{name}: search rowid moved to another popularity bucket")
                if _index_row(conn, before["id"]) != index_before:
                    problems.append(f"{name}: search index row differs from index_package's")
                details = catalog.package_details(conn, name)
                if details["latest"]["version"] != before["latest_version"]:
                    problems.append(f"{name}: details latest differs")
            if conn.execute(counts).all() != counts_before:
                problems.append("catalog_counts changed")
            for row in conn.execute(
                select(versions.c.manifest).where(
                    versions.c.package_id.in_(
                        select(packages.c.id).where(packages.c.name.in_(picked))
                    )
                )
            ):
                problems += [f"manifest: {p}" for p in manifest_problems(json.loads(row.manifest))]
        finally:
            trans.rollback()
    return problems


# --- scenarios --------------------------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    name: str
    paths: list[str]
    # in-process equivalents: (kind, argument) with kind "search" (kwargs) or "details" (name)
    calls: list[tuple[str, Any]]


def scenarios(names: list[str]) -> list[Scenario]:
    r = random.Random(11)
    browse = [{"offset": o} if o else {} for o in (0, 0, 0, 20, 40)]
    common = [{"q": w} for w in COMMON_QUERIES]
    rare = [{"q": w} for w in RARE_QUERIES]
    category = [{"category": c} for c in CATEGORIES]
    details = r.sample(names, min(500, len(names)))

    def search_paths(items: list[dict[str, Any]]) -> list[str]:
        return [f"/api/v1/catalog?{urlencode(i)}" if i else "/api/v1/catalog" for i in items]

    out = [
        Scenario("browse", search_paths(browse), [("search", i) for i in browse]),
        Scenario("text-common", search_paths(common), [("search", i) for i in common]),
        Scenario("text-rare", search_paths(rare), [("search", i) for i in rare]),
        Scenario("category", search_paths(category), [("search", i) for i in category]),
        Scenario(
            "details",
            [f"/api/v1/catalog/{n}" for n in details],
            [("details", n) for n in details],
        ),
    ]
    # A plausible traffic mix: details pages most, then searches, then browsing.
    weights = {"details": 40, "browse": 20, "text-rare": 15, "category": 15, "text-common": 10}
    by_name = {s.name: s for s in out}
    mix_paths: list[str] = []
    mix_calls: list[tuple[str, Any]] = []
    for _ in range(1000):
        s = by_name[r.choices(list(weights), weights=list(weights.values()))[0]]
        k = r.randrange(len(s.paths))
        mix_paths.append(s.paths[k])
        mix_calls.append(s.calls[k])
    out.append(Scenario("mix", mix_paths, mix_calls))
    return out


def _call(conn: Connection, kind: str, arg: Any) -> Any:
    if kind == "search":
        return catalog.search(conn, **arg)
    return catalog.package_details(conn, arg)


def _label(statement: str) -> str:
    s = " ".join(statement.split())
    if s.startswith("SELECT COUNT(*)") or "FROM catalog_counts" in s:
        return "count"
    if "LIMIT" in s and "FROM packages p" in s:
        return "page"
    if "FROM versions" in s:
        return "versions"
    if "FROM packages JOIN authors" in s:
        return "package"
    return s[:40]


@dataclass
class InProcess:
    p50_ms: float
    statements: dict[str, float]  # label -> median ms, replayed on the raw cursor
    matches: float  # mean "total" of search answers
    plans: list[str] = field(default_factory=list)


def _pct(sorted_values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    if not sorted_values:
        return math.nan
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def _explain(conn: Connection, statement: str, params: Any) -> str:
    raw = conn.connection.dbapi_connection
    assert raw is not None
    cur = raw.cursor()
    try:
        if conn.dialect.name == "sqlite":
            cur.execute("EXPLAIN QUERY PLAN " + statement, params)
            return "\n".join(f"    {row[3]}" for row in cur.fetchall())
        cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, params)
        return "\n".join(f"    {row[0]}" for row in cur.fetchall())
    finally:
        cur.close()


def in_process(
    engine: Engine, scenario: Scenario, runs: int, explain: bool, max_seconds: float = 6.0
) -> InProcess:
    """Median of the catalog call itself, and of each statement it issues."""
    captured: list[tuple[str, Any]] = []
    capturing = [False]

    def capture(_conn: Any, _cursor: Any, statement: str, params: Any, *_: Any) -> None:
        if capturing[0] and statement.lstrip().upper().startswith(("SELECT", "WITH")):
            captured.append((statement, params))

    event.listen(engine, "before_cursor_execute", capture)
    times: list[float] = []
    per_statement: dict[str, list[float]] = {}
    totals: list[int] = []
    plans: list[str] = []
    try:
        with engine.connect() as conn:
            _call(conn, *scenario.calls[0])  # warm the statement cache
            deadline = time.perf_counter() + max_seconds
            for k in range(runs):
                kind, arg = scenario.calls[k % len(scenario.calls)]
                captured.clear()
                capturing[0] = True
                t0 = time.perf_counter()
                answer = _call(conn, kind, arg)
                times.append(time.perf_counter() - t0)
                capturing[0] = False
                if kind == "search":
                    totals.append(answer["total"])
                raw = conn.connection.dbapi_connection
                assert raw is not None
                for statement, params in captured:
                    cur = raw.cursor()
                    t0 = time.perf_counter()
                    cur.execute(statement, params)
                    cur.fetchall()
                    per_statement.setdefault(_label(statement), []).append(time.perf_counter() - t0)
                    cur.close()
                    if explain and k == 0:
                        plan = _explain(conn, statement, params)
                        plans.append(f"  [{_label(statement)}]\n{plan}")
                conn.rollback()
                if time.perf_counter() > deadline:
                    break
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    times.sort()
    return InProcess(
        p50_ms=_pct(times, 50) * 1e3,
        statements={k: _pct(sorted(v), 50) * 1e3 for k, v in per_statement.items()},
        matches=sum(totals) / len(totals) if totals else math.nan,
        plans=plans,
    )


# --- server -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _serve_command() -> list[str]:
    script = Path(sys.executable).parent / "argent-marketplace"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from argent_marketplace.server.cli import main; main()"]


def _children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            stat = (entry / "stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            if ppid == pid and b"spawn_main" in (entry / "cmdline").read_bytes():
                out.append(int(entry.name))
    return sorted(out)


def cpu_seconds(pids: Sequence[int]) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime + stime
    return total / ticks


def machine_ticks() -> tuple[int, int]:
    """(busy, total) jiffies of all CPUs since boot."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return sum(fields) - idle, sum(fields)


def busy_check(seconds: float = 1.0) -> str:
    """A warning when something else keeps the CPUs busy (the numbers would be low)."""
    b0 = machine_ticks()
    time.sleep(seconds)
    b1 = machine_ticks()
    busy = (b1[0] - b0[0]) / max(1, b1[1] - b0[1])
    if busy > 0.15:
        return f"WARNING: the machine was {busy:.0%} busy before the run; results will be low"
    return f"machine {busy:.0%} busy before the run"


def connections_per_worker(port: int, workers: Sequence[int]) -> list[int]:
    """Established connections to ``port`` held by each worker (from /proc)."""
    inodes: dict[str, str] = {}
    for name in ("tcp", "tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/net/{name}").read_text().splitlines()[1:]:
                parts = line.split()
                if parts[3] == "01" and int(parts[1].rsplit(":", 1)[1], 16) == port:
                    inodes[parts[9]] = parts[1]
    counts = []
    for pid in workers:
        n = 0
        with contextlib.suppress(OSError):
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                with contextlib.suppress(OSError):
                    link = os.readlink(fd)
                    if link.startswith("socket:[") and link[8:-1] in inodes:
                        n += 1
        counts.append(n)
    return counts


@dataclass
class Server:
    port: int
    pid: int
    workers: list[int]
    log: Path


# What the suggested fix to ``serve`` does, outside src: the same multi-process uvicorn,
# but the listening socket says IPPROTO_TCP, so asyncio sets TCP_NODELAY on each accepted
# connection (uvicorn's Config.bind_socket leaves proto 0; uvicorn issue #3149).
NODELAY_LAUNCHER = """
import socket, sys
from uvicorn import Config
from uvicorn.supervisors import Multiprocess
from argent_marketplace.server.services import build_services
from argent_marketplace.server.settings import Settings

build_services(Settings.from_env())
config = Config("argent_marketplace.server.asgi:app_from_env", factory=True, host=sys.argv[1],
                port=int(sys.argv[2]), workers=int(sys.argv[3]), log_level="info")
sock = config.bind_socket()
sock = socket.socket(sock.family, sock.type, socket.IPPROTO_TCP, fileno=sock.detach())
Multiprocess(config, sockets=[sock]).run()
"""


@contextlib.contextmanager
def running_server(
    data_dir: Path,
    database_url: str | None,
    log: Path,
    workers: int = WORKERS,
    nodelay: bool = False,
    env_extra: Mapping[str, str] | None = None,
) -> Iterator[Server]:
    """``argent-marketplace serve --workers N`` on a free loopback port, stopped afterwards.

    ``env_extra`` adds ``ARGENT_MARKETPLACE_*`` settings (the caller's own are dropped).

    With ``nodelay``, the same server through NODELAY_LAUNCHER (the suggested fix).
    """
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ARGENT_MARKETPLACE_")}
    env.update(env_extra or {})
    if nodelay:
        cmd = [sys.executable, "-c", NODELAY_LAUNCHER, "127.0.0.1", str(port), str(workers)]
        env["ARGENT_MARKETPLACE_DATA_DIR"] = str(data_dir)
        if database_url:
            env["ARGENT_MARKETPLACE_DATABASE_URL"] = database_url
    else:
        cmd = [*_serve_command(), "serve", "--host", "127.0.0.1", "--port", str(port),
               "--workers", str(workers), "--data-dir", str(data_dir)]  # fmt: skip
        if database_url:
            cmd += ["--database-url", database_url]
    with log.open("wb") as out:
        proc = subprocess.Popen(
            cmd, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True
        )
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"server exited ({proc.returncode}):\n{_tail(log)}")
            started = log.read_text(errors="replace").count("Application startup complete")
            if started >= workers and _get_status(port, "/readyz") == 200:
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"server not ready after 90 s:\n{_tail(log)}")
            time.sleep(0.2)
        yield Server(port, proc.pid, _children(proc.pid), log)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT)  # our own process group: the server we started
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)


def _tail(log: Path, lines: int = 30) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _get_status(port: int, path: str) -> int:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as sock:
            sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                         .encode())  # fmt: skip
            head = sock.recv(64)
        return int(head.split(b" ", 2)[1])
    except (OSError, ValueError, IndexError):
        return 0


# --- load client ------------------------------------------------------------------------


def get_request(path: str, port: int) -> bytes:
    return (
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: argent-bench\r\n"
        "Accept: application/json\r\n\r\n"
    ).encode()


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
    """(status, body, server closes) of one HTTP/1.1 response."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        if line:
            key, _, value = line.partition(":")
            headers[key.strip().lower()] = value.strip()
    if "content-length" in headers:
        body = await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        parts = []
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            parts.append(await reader.readexactly(size + 2))
            if size == 0:
                break
        body = b"".join(p[:-2] for p in parts)
    else:
        body = await reader.read()
    return status, body, headers.get("connection", "").lower() == "close"


@dataclass
class LoadResult:
    latencies_ms: list[float]  # ascending
    errors: int
    wall: float
    client_cpu: float
    server_cpu: float
    machine_busy: float  # fraction of all CPUs
    conns: list[int]
    bodies: list[bytes] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    by_kind: dict[str, list[float]] = field(default_factory=dict)  # each ascending

    @property
    def p50(self) -> float:
        return _pct(self.latencies_ms, 50)

    @property
    def p99(self) -> float:
        return _pct(self.latencies_ms, 99)

    @property
    def rps(self) -> float:
        return len(self.latencies_ms) / self.wall if self.wall else math.nan


def _server_side_owner(port: int, client_port: int, workers: Sequence[int]) -> int | None:
    """The worker holding the server end of the connection from ``client_port``."""
    inode = None
    for name in ("tcp", "tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/net/{name}").read_text().splitlines()[1:]:
                parts = line.split()
                if (
                    int(parts[1].rsplit(":", 1)[1], 16) == port
                    and int(parts[2].rsplit(":", 1)[1], 16) == client_port
                ):
                    inode = parts[9]
    if inode is None:
        return None
    for pid in workers:
        with contextlib.suppress(OSError):
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                with contextlib.suppress(OSError):
                    if os.readlink(fd) == f"socket:[{inode}]":
                        return pid
    return None


Conn = tuple[asyncio.StreamReader, asyncio.StreamWriter]


async def _close(conn: Conn) -> None:
    conn[1].close()
    with contextlib.suppress(OSError, ConnectionError):
        await conn[1].wait_closed()


async def open_balanced(port: int, count: int, workers: Sequence[int], prime: bytes) -> list[Conn]:
    """``count`` keep-alive connections spread evenly over the workers.

    Each connection is opened and used once (``prime``) before the next, then kept only
    if its worker holds less than its share: asyncio's accept loop otherwise lets one
    worker take a whole burst of connections.
    """
    share = math.ceil(count / max(1, len(workers)))
    held = dict.fromkeys(workers, 0)
    conns: list[Conn] = []
    for _attempt in range(count * 20):
        if len(conns) == count:
            break
        conn = await asyncio.open_connection("127.0.0.1", port)
        conn[1].write(prime)
        await asyncio.wait_for(read_response(conn[0]), 60)
        owner = (
            _server_side_owner(port, conn[1].get_extra_info("sockname")[1], workers)
            if workers
            else None
        )
        if owner is None or held[owner] < share:
            if owner is not None:
                held[owner] += 1
            conns.append(conn)
        else:
            await _close(conn)
    while len(conns) < count:  # could not balance: take what comes
        conns.append(await asyncio.open_connection("127.0.0.1", port))
    return conns


async def _drive(
    port: int,
    conns: list[Conn],
    requests: Sequence[bytes],
    total: int,
    max_seconds: float,
    expect: int,
    keep_bodies: int,
    kinds: Sequence[str] | None = None,
    by_kind: dict[str, list[float]] | None = None,
) -> tuple[list[float], int, float, list[bytes], dict[int, int]]:
    latencies: list[float] = []
    bodies: list[bytes] = []
    statuses: dict[int, int] = {}
    state = {"next": 0, "errors": 0, "retries": 0}
    start = time.perf_counter()
    deadline = start + max_seconds

    async def client(conn: Conn) -> None:
        reader, writer = conn
        try:
            while state["next"] < total and time.perf_counter() < deadline:
                index = state["next"] % len(requests)
                request = requests[index]
                state["next"] += 1
                t0 = time.perf_counter()
                try:
                    writer.write(request)
                    status, body, close = await asyncio.wait_for(read_response(reader), 60)
                except (asyncio.IncompleteReadError, ConnectionError):
                    # The server closed this keep-alive connection (uvicorn does after a
                    # 500): reconnect and send the request again, as HTTP clients do.
                    state["retries"] += 1
                    await _close((reader, writer))
                    reader, writer = await asyncio.open_connection("127.0.0.1", port)
                    writer.write(request)
                    status, body, close = await asyncio.wait_for(read_response(reader), 60)
                latencies.append((time.perf_counter() - t0) * 1e3)
                if kinds is not None and by_kind is not None:
                    by_kind.setdefault(kinds[index], []).append(latencies[-1])
                statuses[status] = statuses.get(status, 0) + 1
                if status != expect:
                    state["errors"] += 1
                    if state["errors"] <= 3:
                        print(f"    unexpected {status}: {body[:300]!r}")
                if len(bodies) < keep_bodies:
                    bodies.append(body)
                if close:
                    writer.close()
                    reader, writer = await asyncio.open_connection("127.0.0.1", port)
        finally:
            await _close((reader, writer))

    await asyncio.gather(*(client(c) for c in conns))
    if state["retries"]:
        print(f"    ({state['retries']} request(s) resent after the server closed a connection)")
    return latencies, state["errors"], time.perf_counter() - start, bodies, statuses


def load(
    server: Server,
    requests: Sequence[bytes],
    *,
    total: int,
    concurrency: int,
    max_seconds: float,
    expect: int = 200,
    keep_bodies: int = 0,
    kinds: Sequence[str] | None = None,
) -> LoadResult:
    """Closed-loop load: ``concurrency`` keep-alive connections, bounded in count and time.

    The connections are opened and spread over the workers before the clock starts.
    ``kinds`` (one label per request) also sorts the latencies by label (``by_kind``).
    """
    by_kind: dict[str, list[float]] = {}

    async def run() -> tuple[LoadResult, list[int]]:
        prime = get_request("/healthz", server.port)
        conns = await open_balanced(server.port, min(concurrency, total), server.workers, prime)
        spread = connections_per_worker(server.port, server.workers)
        cpu0, busy0, srv0 = time.process_time(), machine_ticks(), cpu_seconds(server.workers)
        latencies, errors, wall, bodies, statuses = await _drive(
            server.port, conns, requests, total, max_seconds, expect, keep_bodies, kinds, by_kind
        )
        busy1 = machine_ticks()
        busy = (busy1[0] - busy0[0]) / max(1, busy1[1] - busy0[1])
        result = LoadResult(
            sorted(latencies), errors, wall, time.process_time() - cpu0,
            cpu_seconds(server.workers) - srv0, busy, spread, bodies, statuses,
            {kind: sorted(values) for kind, values in by_kind.items()},
        )  # fmt: skip
        return result, spread

    return asyncio.run(run())[0]


# --- output -----------------------------------------------------------------------------


def machine() -> str:
    model = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    mem = ""
    with contextlib.suppress(OSError, ValueError, IndexError):
        kib = int(Path("/proc/meminfo").read_text().split("\n", 1)[0].split()[1])
        mem = f", {kib / 1024 / 1024:.1f} GiB RAM"
    return (
        f"{os.cpu_count()} CPUs, {model}{mem}; Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}; SQLite {sqlite3.sqlite_version}"
    )


def _ms(value: float) -> str:
    return "-" if math.isnan(value) else f"{value:.1f}"


# --- one backend ------------------------------------------------------------------------


@dataclass
class BackendRun:
    backend: str
    seeded: Seeded
    fidelity: list[str]
    inproc: dict[str, InProcess]
    http: dict[tuple[str, str], LoadResult]
    server_version: str = ""


@contextlib.contextmanager
def pg_database() -> Iterator[str]:
    """A throwaway database on the local PostgreSQL, dropped afterwards."""
    parts = urlsplit(PG_ADMIN_URL)
    if parts.hostname not in LOOPBACK:
        raise SystemExit(f"refusing non-loopback PostgreSQL host {parts.hostname!r}")
    name = f"argent_bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')  # type: ignore[arg-type]
    try:
        yield PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5) as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                (name,),
            )
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')  # type: ignore[arg-type]


def db_size(engine: Engine, data_dir: Path) -> int:
    if engine.dialect.name == "sqlite":
        return sum(p.stat().st_size for p in data_dir.glob("marketplace.sqlite3*"))
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT pg_database_size(current_database())")).scalar_one())


def run_backend(backend: str, args: argparse.Namespace, workdir: Path) -> BackendRun:
    with contextlib.ExitStack() as stack:
        data_dir = workdir / backend
        data_dir.mkdir()
        url = stack.enter_context(pg_database()) if backend == "postgres" else None
        engine = make_engine(url or sqlite_url(data_dir))
        stack.callback(engine.dispose)
        upgrade(engine)
        print(f"[{backend}] seeding {args.packages:,} packages ...", flush=True)
        seeded = seed(engine, args.packages)
        seeded.db_bytes = db_size(engine, data_dir)
        s = seeded.seconds
        print(
            f"[{backend}] seeded {seeded.counts['packages']:,} packages, "
            f"{seeded.counts['versions']:,} versions, {seeded.counts['authors']:,} authors in "
            f"{sum(s.values()):.1f} s (generate {s['generate']:.1f} s, insert {s['insert']:.1f} s,"
            f" index {s['index']:.1f} s); database {seeded.db_bytes / 2**20:,.0f} MiB",
            flush=True,
        )
        fidelity = fidelity_check(engine, seeded.names)
        print(f"[{backend}] fidelity check (refresh_package on 40 seeded packages): "
              f"{'identical' if not fidelity else f'{len(fidelity)} differences'}")  # fmt: skip
        for problem in fidelity[:10]:
            print(f"    {problem}")
        plan = scenarios(seeded.names)
        inproc = {}
        for sc in plan:
            inproc[sc.name] = in_process(
                engine, sc, 10 if args.quick else 30, args.explain, 2.0 if args.quick else 4.0
            )
            if args.explain and inproc[sc.name].plans:
                print(f"[{backend}] plans for {sc.name} ({sc.calls[0]}):")
                print("\n".join(inproc[sc.name].plans))
        engine.dispose()
        http: dict[tuple[str, str], LoadResult] = {}
        div = 3 if args.quick else 1
        log = workdir / f"{backend}-server.log"
        with running_server(data_dir, url, log, nodelay=args.nodelay) as server:
            print(f"[{backend}] server on 127.0.0.1:{server.port}, workers {server.workers}",
                  flush=True)  # fmt: skip
            for sc in plan:
                requests = [get_request(p, server.port) for p in sc.paths]
                warm = load(server, requests, total=max(32, len(requests) // 4), concurrency=4,
                            max_seconds=2, keep_bodies=10_000)  # fmt: skip
                _validate(sc, warm)
                for phase, concurrency, total, seconds in PHASES:
                    result = load(server, requests, total=total // div, concurrency=concurrency,
                                  max_seconds=seconds / (2 if args.quick else 1))  # fmt: skip
                    http[(sc.name, phase)] = result
                    print(
                        f"[{backend}] {sc.name:<11} {phase:<10} c={concurrency:<2} "
                        f"n={len(result.latencies_ms):>5}  p50 {_ms(result.p50):>6} ms  "
                        f"p99 {_ms(result.p99):>6} ms  {result.rps:7.1f} req/s  "
                        f"errors {result.errors}  server CPU {result.server_cpu / result.wall:.2f}"
                        f"  machine {result.machine_busy * 100:3.0f}%  client "
                        f"{result.client_cpu / max(1, len(result.latencies_ms)) * 1e3:.2f} "
                        f"ms CPU/req  conns/worker {'/'.join(map(str, result.conns)) or '-'}",
                        flush=True,
                    )
        return BackendRun(backend, seeded, fidelity, inproc, http)


def _validate(sc: Scenario, warm: LoadResult) -> None:
    if warm.errors:
        raise RuntimeError(f"{sc.name}: {warm.errors} failed requests during warm-up")
    for body in warm.bodies:
        doc = json.loads(body)
        if not ("latest" in doc or ("items" in doc and "total" in doc)):
            raise RuntimeError(f"{sc.name}: unexpected answer {body[:200]!r}")


# --- main -------------------------------------------------------------------------------


def report(runs: list[BackendRun], args: argparse.Namespace) -> list[tuple[bool, str]]:
    names = [r.backend for r in runs]
    scen = ["browse", "text-common", "text-rare", "category", "details", "mix"]
    print("\nin-process (catalog.search / package_details on one connection; ms, median)")
    rows = [["scenario"] + [f"{b} {c}" for b in names for c in ("call", "SQL", "matches")]]
    for sc in scen:
        row = [sc]
        for run in runs:
            ip = run.inproc[sc]
            stmts = " + ".join(f"{k} {v:.1f}" for k, v in ip.statements.items())
            row += [_ms(ip.p50_ms), stmts, "-" if math.isnan(ip.matches) else f"{ip.matches:,.0f}"]
        rows.append(row)
    print(table(rows))
    print("(SQL = each statement replayed alone on the raw DBAPI cursor, execute + fetchall;\n"
          " matches = mean 'total' of the answers)\n")  # fmt: skip

    server = "the TCP_NODELAY launcher (--nodelay)" if args.nodelay else "argent-marketplace serve"
    print(f"HTTP, {server} --workers {WORKERS}, keep-alive loopback client")
    head = ["scenario", "phase"]
    for b in names:
        head += [f"{b} p50", f"{b} p99", f"{b} req/s"]
    rows = [head]
    for sc in scen:
        for phase, concurrency, _, _ in PHASES:
            row = [sc, f"{phase} (c={concurrency})"]
            for run in runs:
                res = run.http[(sc, phase)]
                row += [_ms(res.p50), _ms(res.p99), f"{res.rps:,.0f}"]
            rows.append(row)
    print(table(rows))
    print("(latency in ms from request write to last body byte; closed loop, bounded in\n"
          " count and time per phase)\n")  # fmt: skip

    scale = "" if args.packages == 100_000 else f" [at {args.packages:,} packages, not 100k]"
    checks: list[tuple[bool, str]] = []
    for run in runs:
        for sc in SEARCH_SCENARIOS:
            res = run.http[(sc, LATENCY_PHASE)]
            seq = run.http[(sc, "sequential")]
            ok = res.p50 < TARGET_P50_MS and res.p99 < TARGET_P99_MS and not res.errors
            checks.append((ok, f"{run.backend}: {sc} at c=4: p50 {res.p50:.1f} ms, "
                           f"p99 {res.p99:.1f} ms (target < {TARGET_P50_MS:g} / "
                           f"< {TARGET_P99_MS:g}; sequential {seq.p50:.1f} / {seq.p99:.1f})"
                           f"{scale}"))  # fmt: skip
        for sc in scen:
            res = run.http[(sc, THROUGHPUT_PHASE)]
            ok = res.rps >= TARGET_RPS and not res.errors
            checks.append((ok, f"{run.backend}: {sc} at c=32: {res.rps:,.0f} req/s "
                           f"(target >= {TARGET_RPS:g}){scale}"))  # fmt: skip
    print("targets (latency judged at c=4, throughput at c=32)")
    for ok, line in checks:
        print(f"  {verdict(ok)}  {line}")
    return checks


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--packages", type=int, default=100_000, help="packages to seed")
    parser.add_argument("--quick", action="store_true", help="fewer requests (~3x faster)")
    parser.add_argument("--backends", default="sqlite,postgres", help="comma-separated")
    parser.add_argument("--explain", action="store_true", help="print the query plans")
    parser.add_argument(
        "--nodelay",
        action="store_true",
        help="start the server with TCP_NODELAY on its connections (the suggested fix to "
        "'serve'), instead of 'argent-marketplace serve' as shipped",
    )
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()
    if not 10 <= args.packages <= 1_000_000:
        parser.error("--packages must be between 10 and 1,000,000")
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    if not set(backends) <= {"sqlite", "postgres"}:
        parser.error("--backends takes sqlite and/or postgres")
    print(f"machine: {machine()}\n{python_speed()}")
    print(busy_check())
    if "postgres" in backends:
        with psycopg.connect(PG_ADMIN_URL, connect_timeout=5) as conn:
            version = conn.execute("SHOW server_version").fetchone()
            print(f"PostgreSQL {version[0] if version else '?'} at {PG_ADMIN_URL}")
    t0 = time.perf_counter()
    runs = []
    with tempfile.TemporaryDirectory(prefix="argent-bench-catalog-") as tmp:
        for backend in backends:
            runs.append(run_backend(backend, args, Path(tmp)))
    print(f"\ntotal {time.perf_counter() - t0:.0f} s")
    checks = report(runs, args)
    failed = any(r.fidelity for r in runs)
    if failed:
        print("  FAIL  seeded rows differ from what the app writes (see above)")
    return 1 if args.check and (failed or not all(ok for ok, _ in checks)) else 0


if __name__ == "__main__":
    sys.exit(main())
