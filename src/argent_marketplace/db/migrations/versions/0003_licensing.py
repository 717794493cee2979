"""Licensing: licenses, activations, organisation coverage, shared rate-limit counters.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 01:54:49.377473
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rate_limits",
        sa.Column("bucket", sa.String(length=128), nullable=False),
        sa.Column("window_start", sa.BigInteger(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("bucket", name=op.f("pk_rate_limits")),
    )
    op.create_table(
        "licenses",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("package_id", sa.String(length=36), nullable=True),
        sa.Column("org_name", sa.String(length=200), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("revoke_reason", sa.String(length=32), nullable=True),
        sa.Column("max_activations", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["package_id"], ["packages.id"], name=op.f("fk_licenses_package_id_packages")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_licenses")),
        sa.UniqueConstraint("digest", name=op.f("uq_licenses_digest")),
    )
    op.create_index(op.f("ix_licenses_package_id"), "licenses", ["package_id"], unique=False)
    op.create_table(
        "activations",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("license_id", sa.String(length=36), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("instance_id", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["license_id"], ["licenses.id"], name=op.f("fk_activations_license_id_licenses")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activations")),
        sa.UniqueConstraint(
            "license_id", "fingerprint", name=op.f("uq_activations_license_id_fingerprint")
        ),
    )
    op.create_index("ix_activations_license", "activations", ["license_id"], unique=False)
    op.create_table(
        "license_packages",
        sa.Column("license_id", sa.String(length=36), nullable=False),
        sa.Column("package_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["license_id"], ["licenses.id"], name=op.f("fk_license_packages_license_id_licenses")
        ),
        sa.ForeignKeyConstraint(
            ["package_id"], ["packages.id"], name=op.f("fk_license_packages_package_id_packages")
        ),
        sa.PrimaryKeyConstraint("license_id", "package_id", name=op.f("pk_license_packages")),
    )


def downgrade() -> None:
    op.drop_table("license_packages")
    op.drop_index("ix_activations_license", table_name="activations")
    op.drop_table("activations")
    op.drop_index(op.f("ix_licenses_package_id"), table_name="licenses")
    op.drop_table("licenses")
    op.drop_table("rate_limits")
