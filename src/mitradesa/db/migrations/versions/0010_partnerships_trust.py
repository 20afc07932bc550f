"""partnerships trust: progress reports reviewed by DPMD, documents per village

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMNs: rebuilding these tables on SQLite would cascade deletes to the rows
    # that reference them. The reviewer's foreign key is declared by the model; SQLite cannot
    # add a constraint to an existing table, so it is added on PostgreSQL only.
    op.add_column("partnership_reports", sa.Column(
        "status", sa.String(20), nullable=False, server_default="diajukan"))
    op.add_column("partnership_reports", sa.Column(
        "review_note", sa.Text(), nullable=False, server_default=""))
    op.add_column("partnership_reports", sa.Column("reviewed_by", sa.Integer(), nullable=True))
    op.add_column("partnership_reports", sa.Column("reviewed_at", sa.DateTime(), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.create_foreign_key("fk_partnership_reports_reviewed_by_users", "partnership_reports",
                              "users", ["reviewed_by"], ["id"], ondelete="SET NULL")
    # Reports written before the review existed: what DPMD staff entered counts as verified
    # by them; what a partner's account entered waits for DPMD like a new one.
    op.execute(
        "UPDATE partnership_reports SET status = 'diverifikasi', reviewed_by = created_by, "
        "reviewed_at = created_at WHERE created_by IS NULL OR created_by NOT IN "
        "(SELECT id FROM users WHERE role = 'mitra')"
    )
    op.add_column("partnership_documents", sa.Column(
        "village_codes", sa.JSON(), nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("partnership_documents") as batch:
        batch.drop_column("village_codes")
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint("fk_partnership_reports_reviewed_by_users", "partnership_reports",
                           type_="foreignkey")
    with op.batch_alter_table("partnership_reports") as batch:
        for column in ("reviewed_at", "reviewed_by", "review_note", "status"):
            batch.drop_column(column)
