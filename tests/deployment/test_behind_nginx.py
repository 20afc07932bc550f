"""The production layout, run for real: nginx (deploy/nginx/mitradesa.conf, the very file the
README installs, with ports and paths substituted) in front of two `mitradesa serve`
processes in production mode on one PostgreSQL and one data folder.

nginx runs in the foreground with its own prefix, pid and logs in a temporary folder, on
free loopback ports, with a self-signed certificate made here by openssl."""

from __future__ import annotations

import os
import re
import secrets
import shutil
import ssl
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from mitradesa.settings import Settings
from mitradesa.web.csrf import SESSION_COOKIE
from mitradesa.web.middleware import CSRF_COOKIE
from mitradesa.web.static_assets import STATIC_DIR
from tests.cli.conftest import BIN, run
from tests.conftest import PASSWORD, SEPATIN
from tests.pg_server import free_port

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "deploy" / "nginx" / "mitradesa.conf"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
OPENSSL = shutil.which("openssl")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + b"% perjanjian kerja sama\n" * 40
HSTS = "max-age=31536000"
LONG_CACHE = "public, max-age=31536000, immutable"

if NGINX is None:
    pytest.skip("nginx is not installed (Debian: apt-get install nginx); the deployment test "
                "needs it", allow_module_level=True)
if OPENSSL is None:
    pytest.skip("openssl is not installed (Debian: apt-get install openssl); the deployment "
                "test makes its certificate with it", allow_module_level=True)


@dataclass
class Stack:
    https: str
    http: str
    backends: list[str]
    app_logs: list[Path]
    ca: Path
    env: dict[str, str]


def _substitute(text: str, old: str, new: str) -> str:
    """Replace `old`, which must be in the file: a renamed line fails here, loudly."""
    assert old in text, f"deploy/nginx/mitradesa.conf no longer has {old!r}; update the test"
    return text.replace(old, new)


def render_site(http_port: int, https_port: int, backends: list[int], tmp: Path) -> str:
    """deploy/nginx/mitradesa.conf with the test's ports, certificate, static folder and logs."""
    text = SITE.read_text(encoding="utf-8")
    text = re.sub(r"^\s*listen \[::\].*\n", "", text, flags=re.M)  # loopback IPv4 only
    text = _substitute(text, "listen 80;", f"listen 127.0.0.1:{http_port};")
    text = _substitute(text, "listen 443 ssl", f"listen 127.0.0.1:{https_port} ssl")
    upstream = re.findall(r"^\s*server 127\.0\.0\.1:80\d\d;\n", text, flags=re.M)
    assert len(upstream) >= 2, "the upstream lists the app processes as 127.0.0.1:80NN"
    text = text.replace("".join(upstream), "".join(
        f"    server 127.0.0.1:{port};\n" for port in backends))
    text = _substitute(text, "/etc/ssl/mitradesa/fullchain.pem", str(tmp / "fullchain.pem"))
    text = _substitute(text, "/etc/ssl/mitradesa/privkey.pem", str(tmp / "privkey.pem"))
    text = _substitute(text, "/opt/mitradesa/.venv/lib/python3.11/site-packages/mitradesa/web/"
                       "static/", f"{STATIC_DIR}/")
    text = _substitute(text, "/var/log/nginx/mitradesa/", f"{tmp}/")
    return text


def nginx_main_conf(site: Path, tmp: Path) -> str:
    """What Debian's /etc/nginx/nginx.conf gives the site, pointed at the test's folder."""
    user = "user root;\n" if os.geteuid() == 0 else ""
    temp = "\n".join(f"    {name}_temp_path {tmp / name};"
                     for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return f"""{user}daemon off;
worker_processes 1;
pid {tmp / "nginx.pid"};
error_log {tmp / "error.log"};
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
{temp}
    include {site};
}}
"""


def make_certificate(tmp: Path) -> Path:
    subprocess.run(
        [OPENSSL, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
         "-keyout", str(tmp / "privkey.pem"), "-out", str(tmp / "fullchain.pem")],
        check=True, capture_output=True)
    return tmp / "fullchain.pem"


def wait_for(url: str, process: subprocess.Popen, log: Path, **options) -> None:
    deadline = time.time() + 90
    while time.time() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"{process.args[0]} stopped:\n{log.read_text()}")
        try:
            httpx.get(url, timeout=2, **options)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer within 90 s:\n{log.read_text()}")


@pytest.fixture(scope="module")
def stack(postgres, tmp_path_factory) -> Iterator[Stack]:
    tmp = tmp_path_factory.mktemp("deploy")
    env = {
        **os.environ,
        "MITRADESA_ENVIRONMENT": "production",
        "MITRADESA_SECRET_KEY": secrets.token_urlsafe(32),
        "MITRADESA_DATABASE_URL": postgres.create_database("deploy_nginx"),
        "MITRADESA_DATA_DIR": str(tmp / "data"),
        "MITRADESA_TRUSTED_PROXIES": "127.0.0.1",
        "MITRADESA_NEW_PASSWORD": PASSWORD,
    }
    (tmp / "data").mkdir()
    for step in (("db", "upgrade"), ("regions", "load", "--region", "64.02"),
                 ("users", "create", "admin", "--role", "admin")):
        done = run(env, *step)
        assert done.returncode == 0, done.stdout + done.stderr

    processes: list[subprocess.Popen] = []
    ports = [free_port(), free_port()]
    logs = [tmp / f"app-{port}.log" for port in ports]
    http_port, https_port = free_port(), free_port()
    try:
        for port, log in zip(ports, logs, strict=True):
            with log.open("w") as out:
                processes.append(subprocess.Popen(
                    [BIN, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"],
                    env=env, stdout=out, stderr=subprocess.STDOUT))
        for process, port, log in zip(processes, ports, logs, strict=True):
            wait_for(f"http://127.0.0.1:{port}/healthz", process, log)

        ca = make_certificate(tmp)
        site = tmp / "mitradesa.conf"
        site.write_text(render_site(http_port, https_port, ports, tmp), encoding="utf-8")
        main = tmp / "nginx.conf"
        main.write_text(nginx_main_conf(site, tmp), encoding="utf-8")
        nginx_log = tmp / "nginx-start.log"
        with nginx_log.open("w") as out:
            processes.append(subprocess.Popen(
                [NGINX, "-p", str(tmp), "-c", str(main), "-e", str(tmp / "error.log")],
                stdout=out, stderr=subprocess.STDOUT))
        wait_for(f"https://127.0.0.1:{https_port}/healthz", processes[-1], nginx_log, verify=False)
        yield Stack(https=f"https://127.0.0.1:{https_port}", http=f"http://127.0.0.1:{http_port}",
                    backends=[f"http://127.0.0.1:{port}" for port in ports], app_logs=logs,
                    ca=ca, env=env)
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def through_nginx(stack: Stack, **headers: str) -> httpx.Client:
    return httpx.Client(base_url=stack.https, timeout=60,
                        verify=ssl.create_default_context(cafile=stack.ca),
                        headers=headers)


def logged_in(stack: Stack, **headers: str) -> httpx.Client:
    client = through_nginx(stack, **headers)
    client.get("/masuk")
    answer = client.post("/masuk", follow_redirects=False, data={
        "username": "admin", "password": PASSWORD, "csrf_token": client.cookies[CSRF_COOKIE]})
    assert answer.status_code == 303, answer.text
    return client


def as_from_nginx(client: httpx.Client) -> dict[str, str]:
    """What nginx adds when it forwards this logged-in client: its cookies (Secure ones too,
    which httpx would not send over plain http itself), the CSRF header and the scheme."""
    cookies = "; ".join(f"{name}={client.cookies[name]}" for name in (SESSION_COOKIE,
                                                                        CSRF_COOKIE))
    return {"Cookie": cookies, "X-CSRF-Token": client.cookies[CSRF_COOKIE],
            "X-Forwarded-Proto": "https", "X-Forwarded-For": "127.0.0.1"}


def test_plain_http_is_sent_to_https_with_a_permanent_redirect(stack):
    answer = httpx.get(stack.http + "/kerja-sama?tahun=2025", follow_redirects=False)
    assert answer.status_code == 301
    assert answer.headers["location"] == "https://127.0.0.1/kerja-sama?tahun=2025"


def test_a_login_through_nginx_gives_a_secure_cookie_that_both_processes_accept(stack):
    client = through_nginx(stack)
    client.get("/masuk")
    answer = client.post("/masuk", follow_redirects=False, data={
        "username": "admin", "password": PASSWORD, "csrf_token": client.cookies[CSRF_COOKIE]})
    assert answer.status_code == 303, answer.text
    session_cookie = next(value for value in answer.headers.get_list("set-cookie")
                          if value.startswith(SESSION_COOKIE + "="))
    flags = {part.strip().lower() for part in session_cookie.split(";")}
    assert {"secure", "httponly", "samesite=lax"} <= flags
    assert answer.headers["strict-transport-security"] == HSTS

    assert client.get("/api/v1/me").json()["username"] == "admin"
    for backend in stack.backends:
        me = httpx.get(backend + "/api/v1/me", headers=as_from_nginx(client), timeout=30)
        assert me.status_code == 200, (backend, me.text)
        assert me.json()["username"] == "admin"
        stranger = httpx.get(backend + "/api/v1/me", headers={"X-Forwarded-Proto": "https"},
                             timeout=30)
        assert stranger.status_code == 401


def test_a_document_uploaded_through_one_process_is_downloaded_through_the_other(stack):
    client = logged_in(stack)
    first, second = stack.backends
    headers = as_from_nginx(client)
    partner = httpx.post(first + "/api/v1/partners", headers=headers, timeout=30, json={
        "nama": "PT Mitra Uji Penerapan", "jenis": "csr_swasta", "bidang": ["umkm"]})
    assert partner.status_code == 201, partner.text
    agreement = httpx.post(first + "/api/v1/agreements", headers=headers, timeout=30, json={
        "judul": "Kerja sama uji penerapan", "mitra_ids": [partner.json()["id"]],
        "desa": [SEPATIN], "lingkup": ["umkm"]})
    assert agreement.status_code == 201, agreement.text
    agreement_id = agreement.json()["id"]

    uploaded = httpx.post(
        f"{first}/api/v1/agreements/{agreement_id}/documents", headers=headers, timeout=30,
        data={"jenis": "kak", "judul": "Kerangka acuan"},
        files={"berkas": ("kak.pdf", PDF, "application/pdf")})
    assert uploaded.status_code == 201, uploaded.text
    document_id = uploaded.json()["id"]

    path = f"/api/v1/agreements/{agreement_id}/documents/{document_id}"
    from_second = httpx.get(second + path, headers=headers, timeout=30)
    assert from_second.status_code == 200, from_second.text
    assert from_second.content == PDF
    assert client.get(path).content == PDF


def test_a_body_over_the_limit_is_refused_by_nginx_before_the_app(stack):
    site = SITE.read_text(encoding="utf-8")
    limit_mb = int(re.search(r"client_max_body_size (\d+)m;", site).group(1))
    assert limit_mb == Settings.model_fields["max_body_mb"].default

    client = logged_in(stack)
    probe = "zu-besar-" + secrets.token_hex(4)
    body = b"x" * (limit_mb * 1024 * 1024 + 1024)
    try:
        answer = client.post(f"/api/v1/agreements/1/documents?probe={probe}",
                             headers={"X-CSRF-Token": client.cookies[CSRF_COOKIE],
                                      "Content-Type": "application/octet-stream"},
                             content=body)
    except httpx.TransportError as error:  # pragma: no cover - nginx closed while we sent
        pytest.fail(f"nginx closed the connection instead of answering 413: {error}")
    assert answer.status_code == 413
    assert answer.headers["server"] == "nginx"
    assert "<center>nginx</center>" in answer.text  # nginx's own page, not the app's
    assert all(probe not in log.read_text() for log in stack.app_logs)


def test_static_files_come_from_nginx_with_a_long_cache_and_gzip(stack):
    with through_nginx(stack, **{"Accept-Encoding": "gzip"}) as client:
        for name in ("app.css", "nav.js", "vendor/htmx.min.js"):
            answer = client.get(f"/static/{name}?v=1")
            assert answer.status_code == 200
            assert answer.headers["cache-control"] == LONG_CACHE
            assert answer.headers["content-encoding"] == "gzip"
            assert answer.headers["strict-transport-security"] == HSTS
            assert answer.content == (STATIC_DIR / name).read_bytes()
            # The app sets a Content-Security-Policy on all it answers; nginx does not.
            assert "content-security-policy" not in answer.headers
        page = client.get("/masuk")
        assert page.headers["content-encoding"] == "gzip"
        assert "no-store" in page.headers["cache-control"]
    assert all("/static/" not in log.read_text() for log in stack.app_logs)


def test_an_x_forwarded_for_sent_by_a_client_is_not_believed(stack):
    forged = "203.0.113.77"
    client = logged_in(stack, **{"X-Forwarded-For": forged})
    sessions = client.get("/api/v1/me/sessions").json()
    clients = {session["client"] for session in sessions}
    assert forged not in clients
    assert clients == {"127.0.0.1"}



def test_a_large_document_under_the_limit_goes_through_nginx_whole(stack):
    """nginx buffers the upload to disk and hands it on: 19 MB, under the documents' 20 MB."""
    client = logged_in(stack)
    csrf = {"X-CSRF-Token": client.cookies[CSRF_COOKIE]}
    partner = client.post("/api/v1/partners", headers=csrf, json={
        "nama": "PT Mitra Berkas Besar", "jenis": "csr_swasta", "bidang": ["umkm"]})
    agreement = client.post("/api/v1/agreements", headers=csrf, json={
        "judul": "Kerja sama berkas besar", "mitra_ids": [partner.json()["id"]],
        "desa": [SEPATIN], "lingkup": ["umkm"]})
    assert agreement.status_code == 201, agreement.text
    large = PDF + b"%" + secrets.token_bytes(19 * 1000 * 1000)
    uploaded = client.post(f"/api/v1/agreements/{agreement.json()['id']}/documents",
                           headers=csrf, data={"jenis": "kak"},
                           files={"berkas": ("kak-lengkap.pdf", large, "application/pdf")})
    assert uploaded.status_code == 201, uploaded.text
    path = f"/api/v1/agreements/{agreement.json()['id']}/documents/{uploaded.json()['id']}"
    for backend in stack.backends:
        assert httpx.get(backend + path, headers=as_from_nginx(client), timeout=60).content \
            == large
