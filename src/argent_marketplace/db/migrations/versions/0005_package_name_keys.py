"""Typosquatting lookups by index: packages.name_base and packages.name_skeleton.

A publish compared its name with every other author's name of a similar length,
read whole from the database (slow at 100k packages, and blind to names padded
with hyphens or look-alike letters that change the length). The two columns hold
the name as the rule compares it; existing rows are filled here.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from argent_marketplace.scan.names import base_name, skeleton_name

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("packages") as batch:
        batch.add_column(
            sa.Column("name_base", sa.String(length=64), nullable=False, server_default="")
        )
        batch.add_column(
            sa.Column("name_skeleton", sa.String(length=64), nullable=False, server_default="")
        )
    conn = op.get_bind()
    table = sa.table(
        "packages", sa.column("id"), sa.column("name"), sa.column("name_base"),
        sa.column("name_skeleton"),
    )  # fmt: skip
    rows = conn.execute(sa.select(table.c.id, table.c.name)).all()
    update = (
        sa.update(table)
        .where(table.c.id == sa.bindparam("pid"))
        .values(name_base=sa.bindparam("base"), name_skeleton=sa.bindparam("skeleton"))
    )
    for start in range(0, len(rows), 1000):
        batch_rows = [
            {"pid": r.id, "base": base_name(r.name), "skeleton": skeleton_name(r.name)}
            for r in rows[start : start + 1000]
        ]
        conn.execute(update, batch_rows)
    op.create_index("ix_packages_name_base", "packages", ["name_base"])
    op.create_index("ix_packages_name_skeleton", "packages", ["name_skeleton"])


def downgrade() -> None:
    op.drop_index("ix_packages_name_skeleton", table_name="packages")
    op.drop_index("ix_packages_name_base", table_name="packages")
    # Not a batch (table copy): SQLite refuses to drop ``packages`` under its foreign
    # keys; ALTER TABLE ... DROP COLUMN (SQLite 3.35+) needs no copy.
    op.drop_column("packages", "name_skeleton")
    op.drop_column("packages", "name_base")
