"""PostgreSQL: pattern indexes for the codes under a region, whatever the collation

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# (index, table, columns, the column compared with LIKE 'code.%')
INDEXES = (
    ("ix_idm_results_village_pattern", "idm_results", ["village_code"], "village_code"),
    ("ix_idm_results_year_village_pattern", "idm_results", ["year", "village_code"],
     "village_code"),
    ("ix_regions_code_pattern", "regions", ["code"], "code"),
    ("ix_regions_kind_code_pattern", "regions", ["kind", "code"], "code"),
)


def upgrade() -> None:
    # `code LIKE '64.02.%'` uses a plain B-tree index only under the C collation; Debian's
    # clusters default to C.UTF-8 or en_US.UTF-8, where every region page would read the
    # whole table. varchar_pattern_ops indexes serve LIKE prefixes under any collation.
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, table, columns, pattern in INDEXES:
        op.create_index(name, table, columns,
                        postgresql_ops={pattern: "varchar_pattern_ops"})


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, table, _columns, _pattern in INDEXES:
        op.drop_index(name, table_name=table)
