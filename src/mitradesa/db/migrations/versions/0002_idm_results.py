"""IDM results and imports

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 04:57:47.114994
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "idm_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=300), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("file_format", sa.String(length=20), nullable=False),
        sa.Column("stored_path", sa.String(length=500), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("report", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["users.id"],
            name=op.f("fk_idm_imports_created_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idm_imports")),
        sa.UniqueConstraint("sha256", name=op.f("uq_idm_imports_sha256")),
    )
    op.create_table(
        "idm_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("village_code", sa.String(length=20), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("scheme", sa.String(length=20), nullable=False),
        sa.Column("given_code", sa.String(length=20), nullable=False),
        sa.Column("scores", sa.String(length=50), nullable=False),
        sa.Column("iks", sa.Float(), nullable=False),
        sa.Column("ike", sa.Float(), nullable=False),
        sa.Column("ikl", sa.Float(), nullable=False),
        sa.Column("idm", sa.Float(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("target_status", sa.String(length=20), nullable=False),
        sa.Column("skor_minimal", sa.String(length=10), nullable=False),
        sa.Column("penambahan", sa.Float(), nullable=False),
        sa.Column("figures_source", sa.String(length=20), nullable=False),
        sa.Column("discrepancy", sa.JSON(), nullable=True),
        sa.Column("import_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["idm_imports.id"],
            name=op.f("fk_idm_results_import_id_idm_imports"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["village_code"], ["regions.code"], name=op.f("fk_idm_results_village_code_regions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idm_results")),
    )
    with op.batch_alter_table("idm_results", schema=None) as batch_op:
        batch_op.create_index(
            "ix_idm_results_village_year", ["village_code", "year", "scheme"], unique=True
        )
        batch_op.create_index("ix_idm_results_year_status", ["year", "status"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("idm_results", schema=None) as batch_op:
        batch_op.drop_index("ix_idm_results_year_status")
        batch_op.drop_index("ix_idm_results_village_year")

    op.drop_table("idm_results")
    op.drop_table("idm_imports")
