"""Benchmark: bytes a browser downloads on a first visit to a page, with and without gzip.

On the Kukar demo (`mitradesa demo load`, SQLite), `mitradesa serve` runs on loopback with
production settings; a viewer logs in and each page is fetched as a browser's first visit
would: the page itself, then every stylesheet, script and icon it names. Each static file is
fetched twice, once with `Accept-Encoding: identity` (what every visit cost before the static
files were compressed) and once with `Accept-Encoding: gzip` (now); the bytes counted are the
body bytes on the wire. The page's own HTML is counted as the app sends it, uncompressed
(nginx compresses pages in production; the app does not, to spare its CPU).

A second visit downloads no static file at all now: every URL carries the file's hash
(`?v=`) and is sent with `Cache-Control: public, max-age=31536000, immutable`, which the
script checks. Images named inside CSS are loaded only when drawn and are not counted.
No target: the figures are for the README.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx
from load_pages import served

BIN = Path(sys.executable).parent / "mitradesa"
PASSWORD = "kopi-jendela-statis-" + secrets.token_hex(4)
PAGES = {
    "regency dashboard (where DPMD staff land)": "/wilayah/64.02",
    "regency IDM page (plotly charts)": "/wilayah/64.02/idm",
    "village IDM page (plotly charts)": "/desa/64.02.04.2001/idm",
}
ASSET = re.compile(r'<(?:script[^>]*\ssrc|link[^>]*\shref)="(/static/[^"]+)"')
IMMUTABLE = "public, max-age=31536000, immutable"


def cli(env: dict[str, str], *args: str) -> None:
    done = subprocess.run([str(BIN), *args], env=env, capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        raise RuntimeError(f"mitradesa {' '.join(args)}: {done.stderr.strip()}")


def wire_bytes(client: httpx.Client, url: str, encoding: str) -> tuple[int, httpx.Headers]:
    """Body bytes as sent (not decompressed) and the answer's headers."""
    with client.stream("GET", url, headers={"Accept-Encoding": encoding}) as answer:
        if answer.status_code != 200:
            raise RuntimeError(f"{url}: {answer.status_code}")
        return sum(len(chunk) for chunk in answer.iter_raw()), answer.headers


def measure_page(client: httpx.Client, path: str) -> dict[str, int]:
    page = client.get(path, headers={"Accept-Encoding": "gzip"})
    if page.status_code != 200:
        raise RuntimeError(f"{path}: {page.status_code}")
    if "content-encoding" in page.headers:
        raise RuntimeError(f"{path}: the app compressed a page")
    assets = list(dict.fromkeys(ASSET.findall(page.text)))
    plain = zipped = 0
    for url in assets:
        size, _ = wire_bytes(client, url, "identity")
        plain += size
        size, headers = wire_bytes(client, url, "gzip")
        zipped += size
        if headers.get("cache-control") != IMMUTABLE:
            raise RuntimeError(f"{url}: not sent as immutable ({headers.get('cache-control')})")
    return {"html": len(page.content), "files": len(assets), "plain": plain, "gzip": zipped}


def kib(count: int) -> str:
    return f"{count / 1024:,.0f} KiB"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="mitradesa-static-"))
    env = {**os.environ, "MITRADESA_DATABASE_URL": f"sqlite:///{folder / 'static.sqlite3'}",
           "MITRADESA_DATA_DIR": str(folder / "data"), "MITRADESA_ENVIRONMENT": "production",
           "MITRADESA_SECRET_KEY": secrets.token_urlsafe(32),
           "MITRADESA_NEW_PASSWORD": PASSWORD}
    (folder / "data").mkdir()
    for step in (("db", "upgrade"), ("regions", "load"), ("demo", "load"),
                 ("users", "create", "bita", "--role", "viewer")):
        cli(env, *step)
    with served(env, folder / "serve.log", 1) as (base, _pid), httpx.Client(base_url=base,
                                                                 timeout=60) as client:
        client.get("/masuk")
        answer = client.post("/masuk", follow_redirects=False, data={
            "username": "bita", "password": PASSWORD,
            "csrf_token": client.cookies["mitradesa_csrf"]})
        if answer.status_code != 303:
            raise RuntimeError(f"login failed: {answer.status_code}")
        print("| page | HTML | static files | static, plain (before) | static, gzip (now) "
              "| first visit before → now |")
        print("|---|---:|---:|---:|---:|---:|")
        for label, path in PAGES.items():
            got = measure_page(client, path)
            before, now = got["html"] + got["plain"], got["html"] + got["gzip"]
            print(f"| {label} `{path}` | {kib(got['html'])} | {got['files']} "
                  f"| {kib(got['plain'])} | {kib(got['gzip'])} "
                  f"| {kib(before)} → {kib(now)} (−{100 * (1 - now / before):.0f} %) |")
    print("\nSecond visit: 0 static bytes and 0 static requests (hashed URLs, immutable).")
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
