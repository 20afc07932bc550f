"""accounts: e-mail address and the reminder digest each user chooses

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN: rebuilding `users` on SQLite would cascade deletes to its references.
    op.add_column("users", sa.Column("email", sa.String(length=200), nullable=False,
                                     server_default=""))
    op.add_column("users", sa.Column("digest_frequency", sa.String(length=10), nullable=False,
                                     server_default="off"))
    op.add_column("users", sa.Column("digest_last_sent_at", sa.DateTime(timezone=True),
                                     nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("digest_last_sent_at")
        batch.drop_column("digest_frequency")
        batch.drop_column("email")
