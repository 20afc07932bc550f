"""Figures every user shares (a region's headline, its status counts), computed once per
data version in each app process and handed to every request until a write changes the data
(db/data_version.py): the second user to open a regency's page after an import does not
compute them again. Only plain values are kept — never ORM objects, which belong to one
session — and nothing that depends on who asks (a page filters by scope itself).

One store per app (`app.state.shared_figures`); off with the page cache
(MITRADESA_PAGE_CACHE=0), so that a cold page can be measured."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from fastapi import Request
from sqlalchemy.orm import Session

from mitradesa.db import data_version
from mitradesa.settings import get_settings

Result = TypeVar("Result")


class SharedFigures:
    """The last `size` results, least recently used out first."""

    def __init__(self, size: int = 512) -> None:
        self.size = size
        self._results: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_compute(self, key: tuple[Any, ...], compute: Callable[[], Result]) -> Result:
        with self._lock:
            if key in self._results:
                self._results.move_to_end(key)
                return self._results[key]  # type: ignore[no-any-return]
        result = compute()  # outside the lock: another request may compute it too, harmlessly
        with self._lock:
            self._results[key] = result
            while len(self._results) > self.size:
                self._results.popitem(last=False)
        return result


def new_shared_figures() -> SharedFigures | None:
    return SharedFigures() if get_settings().page_cache else None


def remember(request: Request, db: Session, key: Hashable, compute: Callable[[], Result]) -> Result:
    """`compute()`, or what it gave for `key` at this data version."""
    store: SharedFigures | None = getattr(request.app.state, "shared_figures", None)
    if store is None:
        return compute()
    return store.get_or_compute((data_version.current(db), key), compute)
