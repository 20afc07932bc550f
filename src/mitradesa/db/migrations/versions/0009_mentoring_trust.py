"""mentoring trust: when a stage step happened (entered by the user), beside when it was
recorded

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("mentoring_stage_changes", sa.Column("occurred_on", sa.Date(), nullable=True))
    # Steps recorded before this column: the day they were recorded is the best known.
    op.execute("UPDATE mentoring_stage_changes SET occurred_on = CAST(at AS DATE)"
               if op.get_bind().dialect.name == "postgresql"
               else "UPDATE mentoring_stage_changes SET occurred_on = date(at)")
    with op.batch_alter_table("mentoring_stage_changes") as batch:
        batch.alter_column("occurred_on", existing_type=sa.Date(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("mentoring_stage_changes") as batch:
        batch.drop_column("occurred_on")
