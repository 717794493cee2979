"""Blobs written before their version row commits, so a crash leaves no orphan.

Storing a version is: (a) record the blob as pending and commit, (b) write the
blob, (c) insert the version and delete the pending row in one transaction. A
crash after (a) leaves a pending row; garbage collection deletes such blobs when
no version refers to them.
"""

from __future__ import annotations

from sqlalchemy import Column, DateTime, String, Table

from argent_marketplace.db.metadata import metadata

__all__ = ["pending_blobs"]

pending_blobs = Table(
    "pending_blobs",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("blob_key", String(200), nullable=False, index=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)
