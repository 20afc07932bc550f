"""Small files for the import tests."""

from __future__ import annotations

import csv
from io import StringIO


def csv_bytes(header: list[str], rows: list[list[object]]) -> bytes:
    out = StringIO()
    csv.writer(out).writerows([header, *rows])
    return out.getvalue().encode()
