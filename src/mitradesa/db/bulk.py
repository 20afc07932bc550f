"""Insert many rows at driver speed, on SQLite and PostgreSQL alike.

SQLAlchemy's executemany spends most of its time building parameters row by row; here each
column's bind processor (the dialect's own conversion for dates, JSON …) is applied directly
and the rows go to the driver's executemany in one call.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session


def insert_rows(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> int:
    """Insert `rows` (all with the same keys) into `table`; returns how many."""
    if not rows:
        return 0
    connection = session.connection()
    dialect = connection.dialect
    keys = list(rows[0])
    compiled = insert(table).values({key: None for key in keys}).compile(dialect=dialect)
    order = list(compiled.positiontup or []) if compiled.positional else keys
    converters = [
        (position, processor)
        for position, key in enumerate(order)
        if (processor := table.c[key].type._cached_bind_processor(dialect)) is not None
    ]
    pick = itemgetter(*order)
    params: list[Any] = []
    for row in rows:
        values = list(pick(row)) if len(order) > 1 else [pick(row)]
        for position, processor in converters:
            if values[position] is not None:
                values[position] = processor(values[position])
        named = dict(zip(order, values, strict=True))
        params.append(tuple(values) if compiled.positional else named)
    connection.exec_driver_sql(compiled.string, params)
    return len(rows)
