"""Publish-side tables: blobs not yet committed, and the shared scan cache.

Blobs are written before their version row commits, so a crash leaves no orphan.

Storing a version is: (a) record the blob as pending and commit, (b) write the
blob, (c) insert the version and delete the pending row in one transaction. A
crash after (a) leaves a pending row; garbage collection deletes such blobs when
no version refers to them.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, DateTime, Integer, String, Table, Text

from argent_marketplace.db.metadata import metadata

__all__ = ["pending_blobs", "scan_cache"]

pending_blobs = Table(
    "pending_blobs",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("blob_key", String(200), nullable=False, index=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)


# What each file contributed to a scan, shared by every server process (scan cache):
# ``key`` names the scanner's fingerprint, the file's path and its sha256; ``seq`` orders
# entries for pruning, oldest first.
scan_cache = Table(
    "scan_cache",
    metadata,
    Column(
        "seq",
        BigInteger().with_variant(Integer, "sqlite"),
        primary_key=True,
        autoincrement=True,
    ),
    Column("key", String(64), nullable=False, unique=True),
    Column("facts", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)
