"""accounts trust: forced password change, session details, token expiry, login throttle

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN: rebuilding `users` on SQLite would cascade deletes to its references.
    op.add_column("users", sa.Column("must_change_password", sa.Boolean(), nullable=False,
                                     server_default=sa.false()))
    op.add_column("user_sessions", sa.Column("client", sa.String(length=100), nullable=False,
                                             server_default=""))
    op.add_column("user_sessions", sa.Column("user_agent", sa.String(length=200),
                                             nullable=False, server_default=""))
    op.add_column("api_tokens", sa.Column("expires_at", sa.DateTime(timezone=True),
                                          nullable=True))
    op.create_table(
        "login_throttles",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_login_throttles")),
    )


def downgrade() -> None:
    op.drop_table("login_throttles")
    with op.batch_alter_table("api_tokens") as batch:
        batch.drop_column("expires_at")
    with op.batch_alter_table("user_sessions") as batch:
        batch.drop_column("user_agent")
        batch.drop_column("client")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("must_change_password")
