"""Recompute packages.name_skeleton: the skeleton now reads ``python`` as ``py``.

``aos-py-foo`` next to another author's ``aos-python-foo`` passed the typosquatting
check (SECURITY-CASES C2). New names get the new skeleton when they are published;
existing rows are recomputed here, so that a new ``aos-py-foo`` also meets an
``aos-python-foo`` published before this release.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from argent_marketplace.scan.names import skeleton_name

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    table = sa.table("packages", sa.column("id"), sa.column("name"), sa.column("name_skeleton"))
    rows = conn.execute(sa.select(table.c.id, table.c.name, table.c.name_skeleton)).all()
    update = (
        sa.update(table)
        .where(table.c.id == sa.bindparam("pid"))
        .values(name_skeleton=sa.bindparam("skeleton"))
    )
    changed = [
        {"pid": r.id, "skeleton": skeleton_name(r.name)}
        for r in rows
        if r.name_skeleton and skeleton_name(r.name) != r.name_skeleton  # empty: filled at start
    ]
    for start in range(0, len(changed), 1000):
        conn.execute(update, changed[start : start + 1000])


def downgrade() -> None:
    pass  # the older skeleton only matched fewer names; nothing to undo
