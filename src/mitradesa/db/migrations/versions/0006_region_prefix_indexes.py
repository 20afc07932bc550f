"""indexes for the rows under a region: (year, village_code) of IDM results, (kind, code) of
regions

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Pages of a region ask for "year = ? and the code under the region's" and "kind = ? and
    # the code under the region's". With indexes on year and on kind alone, SQLite took those
    # (an equality looks better than a range to its planner) and read the whole country's
    # rows of that year or kind. The code second in the index makes both one index range.
    op.create_index("ix_idm_results_year_village", "idm_results", ["year", "village_code"])
    op.drop_index("ix_regions_kind", table_name="regions")
    op.create_index("ix_regions_kind_code", "regions", ["kind", "code"])


def downgrade() -> None:
    op.drop_index("ix_regions_kind_code", table_name="regions")
    op.create_index("ix_regions_kind", "regions", ["kind"])
    op.drop_index("ix_idm_results_year_village", table_name="idm_results")
