"""Indexes for the catalog's hot queries (measured by benchmarks/bench_catalog.py).

* versions (package_id, status): details and ``refresh_package`` read one package's
  published versions; the status index alone made SQLite scan every version.
* packages (total_downloads DESC, name) and (category, total_downloads DESC, name):
  browse and category pages in their sort order, without sorting the whole table.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_versions_package_status", "versions", ["package_id", "status"])
    op.create_index(
        "ix_packages_downloads_name", "packages", [sa.text("total_downloads DESC"), "name"]
    )
    op.create_index(
        "ix_packages_category_downloads_name",
        "packages",
        ["category", sa.text("total_downloads DESC"), "name"],
    )


def downgrade() -> None:
    op.drop_index("ix_packages_category_downloads_name", table_name="packages")
    op.drop_index("ix_packages_downloads_name", table_name="packages")
    op.drop_index("ix_versions_package_status", table_name="versions")
