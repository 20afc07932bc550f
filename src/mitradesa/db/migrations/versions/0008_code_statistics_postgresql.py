"""PostgreSQL: finer statistics on region codes, so a region's rows keep their index plan

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# (table, column compared with LIKE 'code.%')
COLUMNS = (("idm_results", "village_code"), ("regions", "code"), ("regions", "parent_code"))
FINER = 1000
DEFAULT = -1  # the server's default_statistics_target (100)


def upgrade() -> None:
    # A regency is 0.3% of 750,000 village-years, a fraction of one bucket of the default
    # histogram: the estimate for `village_code LIKE '64.02.%'` then swings with each
    # ANALYZE sample, and with some samples the planner reads a whole year and every region
    # (30-40 ms) instead of the regency's rows (under 1 ms). 1,000 buckets keep it steady.
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column in COLUMNS:
        op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} SET STATISTICS {FINER}")
        op.execute(f"ANALYZE {table} ({column})")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column in COLUMNS:
        op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} SET STATISTICS {DEFAULT}")
