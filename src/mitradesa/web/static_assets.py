"""The static files (/static/...): content-hashed URLs, cache headers and gzip.

`static_url("app.css")` gives `/static/app.css?v=<hash of the file's bytes>`; every page
and the API docs build their static URLs with it. A request whose `v` is the file's current
hash may be kept for a year (`immutable`): a changed file gets a new URL. Without `v`, or
with a stale one (images named by `url()` inside vendored CSS, an old page), the answer
says `no-cache`, so the browser asks again with If-None-Match / If-Modified-Since and gets
304 while the file is unchanged.

Text files (CSS, JS, SVG, JSON, source maps) go out gzip-compressed to a client that
accepts it; each is read, hashed and compressed once per process and then served from
memory (`Vary: Accept-Encoding`). Images and fonts are streamed from disk as they are.
Pages are not compressed here: nginx does that in production.

A file changed while the process runs is noticed by its size and modification time when it
is requested; the hash in the pages' URLs follows at the next restart (at once in the
development environment)."""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
import os
import stat
import threading
from dataclasses import dataclass
from email.utils import formatdate, parsedate_to_datetime
from pathlib import Path
from urllib.parse import parse_qs

import anyio.to_thread
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.responses import FileResponse, Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

STATIC_DIR = Path(__file__).parent / "static"
URL_PREFIX = "/static/"
HASH_LENGTH = 12  # hex digits of the SHA-256 of the file's bytes
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
COMPRESSIBLE = frozenset({".css", ".js", ".mjs", ".svg", ".json", ".map", ".txt"})
CHARSET_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml")


@dataclass(frozen=True)
class Asset:
    """One static file as read at (`mtime_ns`, `size`): its hash and, for text files, its
    bytes and their gzip form (None when gzip would not make it smaller)."""

    path: str
    mtime_ns: int
    size: int
    digest: str
    media_type: str
    body: bytes | None  # text files only; others are streamed from disk
    gzipped: bytes | None

    @property
    def etag(self) -> str:
        return f'"{self.digest}"'

    @property
    def gzip_etag(self) -> str:
        return f'"{self.digest}-gz"'  # another representation, so another strong tag

    @property
    def last_modified(self) -> str:
        return formatdate(self.mtime_ns / 1e9, usegmt=True)


def media_type_of(path: str) -> str:
    media_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
    if media_type.startswith(CHARSET_TYPES):
        media_type += "; charset=utf-8"
    return media_type


def read_asset(path: str, status: os.stat_result) -> Asset:
    """Read, hash and (text files) compress one file; blocking, so run it in a thread."""
    data = Path(path).read_bytes()
    text = Path(path).suffix.lower() in COMPRESSIBLE
    gzipped = gzip.compress(data, compresslevel=9, mtime=0) if text else None
    if gzipped is not None and len(gzipped) >= len(data):
        gzipped = None
    return Asset(path=path, mtime_ns=status.st_mtime_ns, size=status.st_size,
                 digest=hashlib.sha256(data).hexdigest()[:HASH_LENGTH],
                 media_type=media_type_of(path), body=data if text else None, gzipped=gzipped)


class AssetCatalog:
    """The assets of one directory, each read once per process (again if it changed)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory.resolve()
        self._assets: dict[str, Asset] = {}
        self._lock = threading.Lock()

    def cached(self, path: str, status: os.stat_result) -> Asset | None:
        """The asset of `path` if it was read at this size and modification time."""
        asset = self._assets.get(path)
        if asset and asset.mtime_ns == status.st_mtime_ns and asset.size == status.st_size:
            return asset
        return None

    def load(self, path: str, status: os.stat_result) -> Asset:
        with self._lock:  # two first requests for plotly compress it once
            asset = self.cached(path, status)
            if asset is None:
                asset = self._assets[path] = read_asset(path, status)
            return asset

    def url(self, name: str, *, check_changes: bool = False) -> str:
        """`/static/<name>?v=<hash>`; a name that is not a file in the directory raises."""
        path = str(self.directory / name)
        asset = self._assets.get(path)
        if asset is None or check_changes:
            status = os.stat(path)
            if not stat.S_ISREG(status.st_mode):
                raise FileNotFoundError(path)
            asset = self.cached(path, status) or self.load(path, status)
        return f"{URL_PREFIX}{name}?v={asset.digest}"


CATALOG = AssetCatalog(STATIC_DIR)


def static_url(name: str, *, check_changes: bool = False) -> str:
    """The versioned URL of a file under web/static, e.g. `static_url("app.css")`."""
    return CATALOG.url(name, check_changes=check_changes)


def accepts_gzip(headers: Headers) -> bool:
    for part in headers.get("accept-encoding", "").split(","):
        coding, _, params = part.strip().partition(";")
        if coding.strip().lower() in ("gzip", "*"):
            quality = params.strip().lower().removeprefix("q=")
            try:
                return not params.strip() or float(quality) > 0
            except ValueError:
                return False
    return False


def not_modified(request: Headers, asset: Asset) -> bool:
    """If-None-Match (either representation's tag) wins over If-Modified-Since."""
    if match := request.get("if-none-match"):
        tags = {tag.strip().removeprefix("W/") for tag in match.split(",")}
        return "*" in tags or bool(tags & {asset.etag, asset.gzip_etag})
    if since := request.get("if-modified-since"):
        try:
            return parsedate_to_datetime(since).timestamp() >= asset.mtime_ns // 1_000_000_000
        except (TypeError, ValueError):
            return False
    return False


def asset_response(asset: Asset, scope: Scope) -> Response:
    request = Headers(scope=scope)
    versions = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("v", [])
    headers = {
        "Cache-Control": IMMUTABLE if versions == [asset.digest] else REVALIDATE,
        "Last-Modified": asset.last_modified,
    }
    if asset.body is not None:
        headers["Vary"] = "Accept-Encoding"
    compressed = asset.gzipped is not None and accepts_gzip(request)
    headers["ETag"] = asset.gzip_etag if compressed else asset.etag
    if not_modified(request, asset):
        return Response(status_code=304, headers=headers)
    if asset.body is None:
        return FileResponse(asset.path, stat_result=os.stat(asset.path), headers=headers,
                            media_type=asset.media_type)
    body = asset.gzipped if compressed and asset.gzipped is not None else asset.body
    if compressed:
        headers["Content-Encoding"] = "gzip"
    headers["Content-Length"] = str(len(body))
    return Response(b"" if scope["method"] == "HEAD" else body, headers=headers,
                    media_type=asset.media_type)


class StaticAssets(StaticFiles):
    """StaticFiles (its path checks) answering from an `AssetCatalog`."""

    def __init__(self, catalog: AssetCatalog = CATALOG) -> None:
        super().__init__(directory=catalog.directory)
        self.catalog = catalog

    async def get_response(self, path: str, scope: Scope) -> Response:
        if scope["method"] not in ("GET", "HEAD"):
            raise HTTPException(status_code=405, headers={"Allow": "GET, HEAD"})
        try:
            full_path, status = await anyio.to_thread.run_sync(self.lookup_path, path)
        except (OSError, ValueError):
            raise HTTPException(status_code=404) from None
        if status is None or not stat.S_ISREG(status.st_mode):
            raise HTTPException(status_code=404)
        asset = self.catalog.cached(full_path, status)
        if asset is None:
            asset = await anyio.to_thread.run_sync(self.catalog.load, full_path, status)
        return asset_response(asset, scope)
