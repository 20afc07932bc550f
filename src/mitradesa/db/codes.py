"""`under(column, code)`: rows whose region code lies under `code` ("64.02" → "64.02.…").

Written as `column LIKE 'code.%'` it reads every row on SQLite, whose LIKE ignores case and so
never uses an index: 750,000 IDM village-years took seconds per region page. SQLite gets
`GLOB 'code.*'` instead (case-sensitive, answered from the code's B-tree index); PostgreSQL
keeps LIKE, which its planner turns into an index range when the database collation is C.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean, ColumnElement, literal, or_
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class under(FunctionElement[bool]):  # noqa: N801 — reads as a predicate: under(column, code)
    """True where `column` holds a code below `code` (not `code` itself)."""

    type = Boolean()
    inherit_cache = True
    name = "under"
    _is_implicitly_boolean = True  # a predicate: no "= 1" after it where booleans are ints

    def __init__(self, column: ColumnElement[Any] | Any, code: str) -> None:
        if not code or any(char in code for char in "%_*?[]\\"):
            raise ValueError(f"not a region code: {code!r}")
        super().__init__(column, literal(f"{code}.%"), literal(f"{code}.*"))


@compiles(under)
def _like(element: under, compiler: Any, **kw: Any) -> str:
    column, like, _ = element.clauses
    return f"{compiler.process(column, **kw)} LIKE {compiler.process(like, **kw)}"


@compiles(under, "sqlite")
def _glob(element: under, compiler: Any, **kw: Any) -> str:
    column, _, glob = element.clauses
    return f"{compiler.process(column, **kw)} GLOB {compiler.process(glob, **kw)}"


def at_or_under(column: ColumnElement[Any] | Any, codes: list[str]) -> ColumnElement[bool]:
    """True where `column` is one of `codes` or lies under one of them."""
    return or_(*(under(column, code) | (column == code) for code in codes))
