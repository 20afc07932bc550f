"""Rendered pages kept in memory under the data version, so that a page seen again costs
little more than the session check.

A page is kept per user (never shared: the same address shows other villages, other names
and other links to another user or scope), per language, address and query, htmx target and
day (some pages count days), under the data version of db/data_version.py: any committed
write raises it, and from then on every page rendered before is a miss. Only complete HTML
answers (200, no cookie set) are kept. The request's CSP nonce and CSRF token are cut out of
the kept copy and the next request's put back in. The access rule of the route has run
before the handler (web/security.enforce_access), so a kept page is only ever handed to a
user the rule lets in, with the rules as they are now.

Each process has its own cache (`app.state.page_cache`, MITRADESA_PAGE_CACHE MB, least
recently used out first); the version is read from the database on every cached request, so
a write through one process is seen by all."""

from __future__ import annotations

import functools
import inspect
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from fastapi import Request
from starlette.responses import Response

from mitradesa.db import data_version
from mitradesa.settings import get_settings
from mitradesa.web.i18n import page_locale

NONCE_MARK = b"\x00csp-nonce\x00"
CSRF_MARK = b"\x00csrf-token\x00"
KEPT_HEADERS = frozenset({"content-type", "content-security-policy", "vary"})
Handler = TypeVar("Handler", bound=Callable[..., Any])


@dataclass(frozen=True)
class KeptPage:
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes  # with the nonce and token marks

    def answer(self, nonce: str, csrf_token: str) -> Response:
        body = self.body.replace(NONCE_MARK, nonce.encode()).replace(
            CSRF_MARK, csrf_token.encode())
        headers = {name: value.replace(NONCE_MARK.decode(), nonce)
                   for name, value in self.headers}
        return Response(body, status_code=self.status, headers=headers)


class PageCache:
    """A least-recently-used store of pages, bounded by their total size in bytes."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._pages: OrderedDict[tuple[Any, ...], KeptPage] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()  # handlers run in a thread pool
        self.hits = 0
        self.misses = 0

    def get(self, key: tuple[Any, ...]) -> KeptPage | None:
        with self._lock:
            page = self._pages.get(key)
            if page is None:
                self.misses += 1
                return None
            self._pages.move_to_end(key)
            self.hits += 1
            return page

    def put(self, key: tuple[Any, ...], page: KeptPage) -> None:
        size = len(page.body)
        if size > self.max_bytes // 8:  # one huge page must not push out all the others
            return
        with self._lock:
            old = self._pages.pop(key, None)
            if old is not None:
                self._size -= len(old.body)
            self._pages[key] = page
            self._size += size
            while self._size > self.max_bytes:
                _, dropped = self._pages.popitem(last=False)
                self._size -= len(dropped.body)

    def __len__(self) -> int:
        return len(self._pages)


def new_cache() -> PageCache | None:
    megabytes = get_settings().page_cache
    return PageCache(megabytes * 1024 * 1024) if megabytes else None


def _today() -> tuple[date, date]:
    """The day in the DPMD's time zone and on the server's clock: pages count days by
    either, and a kept page must not outlive the day of either."""
    return datetime.now(ZoneInfo(get_settings().timezone)).date(), date.today()


def _key(request: Request, user_id: int, version: int) -> tuple[Any, ...]:
    headers = request.headers
    return (user_id, page_locale(request), request.url.path, request.url.query,
            headers.get("hx-request", ""), headers.get("hx-target", ""), _today(), version)


def _keep(response: Response, nonce: str, csrf_token: str) -> KeptPage | None:
    if response.status_code != 200 or "set-cookie" in response.headers:
        return None
    if not response.headers.get("content-type", "").startswith("text/html"):
        return None  # a download of the same page (?format=xlsx) goes its own way
    body = bytes(response.body)
    if nonce:
        body = body.replace(nonce.encode(), NONCE_MARK)
    if csrf_token:
        body = body.replace(csrf_token.encode(), CSRF_MARK)
    headers = tuple((name, value.replace(nonce, NONCE_MARK.decode()) if nonce else value)
                    for name, value in response.headers.items() if name in KEPT_HEADERS)
    return KeptPage(response.status_code, headers, body)


def cached_page(handler: Handler) -> Handler:
    """Keep what `handler` (a page route taking `request` and `db`) renders; see the module."""
    parameters = inspect.signature(handler).parameters
    if "request" not in parameters or "db" not in parameters:
        raise TypeError(f"{handler.__name__}: a cached page takes `request` and `db`")

    @functools.wraps(handler)
    def serve(*args: Any, **kwargs: Any) -> Any:
        request: Request = kwargs["request"]
        cache: PageCache | None = getattr(request.app.state, "page_cache", None)
        user = getattr(request.state, "user", None)
        if cache is None or user is None or request.method != "GET":
            return handler(*args, **kwargs)
        key = _key(request, user.id, data_version.current(kwargs["db"]))
        nonce = getattr(request.state, "csp_nonce", "")
        csrf_token = getattr(request.state, "csrf_token", "")
        kept = cache.get(key)
        if kept is not None:
            return kept.answer(nonce, csrf_token)
        response = handler(*args, **kwargs)
        if isinstance(response, Response) and (page := _keep(response, nonce, csrf_token)):
            cache.put(key, page)
        return response

    return serve  # type: ignore[return-value]
