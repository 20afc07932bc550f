"""edit versions: optimistic locking for partners, agreements and UMKM

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TABLES = ("partners", "partnership_agreements", "mentoring_umkm")


def upgrade() -> None:
    # A plain ADD COLUMN: rebuilding these tables on SQLite would cascade deletes to the
    # rows that reference them.
    for table in TABLES:
        op.add_column(table, sa.Column("version", sa.Integer(), nullable=False,
                                       server_default="1"))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("version")
