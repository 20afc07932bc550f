"""Indeks Desa: results per desa and year, and the imports they came from

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_DIMENSIONS = ("layanan_dasar", "sosial", "ekonomi", "lingkungan", "aksesibilitas",
               "tata_kelola")


def upgrade() -> None:
    op.create_table(
        "indeks_desa_imports",
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
        sa.ForeignKeyConstraint(["created_by"], ["users.id"],
                                name=op.f("fk_indeks_desa_imports_created_by_users"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indeks_desa_imports")),
        sa.UniqueConstraint("sha256", name=op.f("uq_indeks_desa_imports_sha256")),
    )
    op.create_table(
        "indeks_desa_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("village_code", sa.String(length=20), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("given_code", sa.String(length=20), nullable=False),
        sa.Column("scores", sa.String(length=127), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("nilai", sa.Float(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("target_status", sa.String(length=20), nullable=False),
        sa.Column("poin_dibutuhkan", sa.Integer(), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in _DIMENSIONS),
        sa.Column("figures_source", sa.String(length=20), nullable=False),
        sa.Column("published", sa.JSON(), nullable=True),
        sa.Column("discrepancy", sa.JSON(), nullable=True),
        sa.Column("import_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["import_id"], ["indeks_desa_imports.id"],
                                name=op.f("fk_indeks_desa_results_import_id_indeks_desa_imports"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["village_code"], ["regions.code"],
                                name=op.f("fk_indeks_desa_results_village_code_regions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indeks_desa_results")),
    )
    op.create_index("ix_indeks_desa_results_village_year", "indeks_desa_results",
                    ["village_code", "year"], unique=True)
    op.create_index("ix_indeks_desa_results_year_status", "indeks_desa_results",
                    ["year", "status"])
    op.create_index("ix_indeks_desa_results_year_village", "indeks_desa_results",
                    ["year", "village_code"])
    if op.get_bind().dialect.name == "postgresql":
        op.create_index("ix_indeks_desa_results_year_village_pattern", "indeks_desa_results",
                        ["year", "village_code"],
                        postgresql_ops={"village_code": "varchar_pattern_ops"})


def downgrade() -> None:
    op.drop_table("indeks_desa_results")
    op.drop_table("indeks_desa_imports")
