"""The checks of `mitradesa doctor`, one function each; each returns Findings, never raises."""

from __future__ import annotations

import ipaddress
import math
import os
import shutil
import smtplib
import ssl
import tempfile
from collections import Counter
from pathlib import Path

from sqlalchemy import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from mitradesa.db import migrate
from mitradesa.db.session import make_engine
from mitradesa.doctor.findings import Finding, Level
from mitradesa.formatting import file_size
from mitradesa.settings import DEV_SECRET_PLACEHOLDER, MIN_SECRET_LENGTH, Settings

CONNECT_TIMEOUT_SECONDS = 5
LOW_DISK_BYTES = 1024**3
MIN_SECRET_BITS = 100
MIN_SECRET_SYMBOLS = 10
NEW_SECRET = "python3 -c 'import secrets; print(secrets.token_urlsafe(32))'"


def strict(settings: Settings) -> bool:
    """Outside development the secret key is enforced and a server is expected."""
    return settings.environment != "development"


def trusted_proxy_entries(settings: Settings) -> list[str]:
    return [entry.strip() for entry in settings.trusted_proxies.split(",") if entry.strip()]


def check_environment(settings: Settings) -> list[Finding]:
    title = "Lingkungan"
    if settings.environment == "production":
        return [Finding("environment", title, Level.ok, "MITRADESA_ENVIRONMENT=production.")]
    if settings.environment == "development":
        what = ("MITRADESA_ENVIRONMENT=development: kunci rahasia tidak diwajibkan dan "
                "pemeriksaan server produksi dilonggarkan.")
    else:
        what = (f"MITRADESA_ENVIRONMENT={settings.environment!r} tidak dikenal; diperlakukan "
                "seperti produksi.")
    return [Finding("environment", title, Level.warn, what,
                    "Di server, isi MITRADESA_ENVIRONMENT=production.")]


def secret_bits(secret: str) -> float:
    """Shannon estimate of the secret's entropy: bits per character × length."""
    counts = Counter(secret)
    per_char = -sum(n / len(secret) * math.log2(n / len(secret)) for n in counts.values())
    return per_char * len(secret)


def check_secret_key(settings: Settings) -> list[Finding]:
    title = "Kunci rahasia"
    key = settings.secret_key
    fix = f"Isi MITRADESA_SECRET_KEY dengan nilai acak, misalnya dari: {NEW_SECRET}"
    level = Level.problem if strict(settings) else Level.warn
    if key == DEV_SECRET_PLACEHOLDER:
        what = ("MITRADESA_SECRET_KEY belum diisi: dipakai nilai pengganti untuk pengembangan "
                "yang diketahui semua orang, sehingga sesi login dapat dipalsukan.")
        return [Finding("secret_key", title, level, what, fix)]
    if len(key) < MIN_SECRET_LENGTH:
        what = (f"MITRADESA_SECRET_KEY hanya {len(key)} karakter; paling sedikit "
                f"{MIN_SECRET_LENGTH}.")
        return [Finding("secret_key", title, level, what, fix)]
    if len(set(key)) < MIN_SECRET_SYMBOLS or secret_bits(key) < MIN_SECRET_BITS:
        what = ("MITRADESA_SECRET_KEY mudah ditebak: terlalu sedikit karakter yang berbeda "
                "atau berulang (bukan nilai acak).")
        return [Finding("secret_key", title, level, what, fix)]
    return [Finding("secret_key", title, Level.ok,
                    f"Diisi, {len(key)} karakter, tampak acak.")]


def database_url(settings: Settings) -> str:
    """The URL the app would use, without creating the data folder on the way."""
    return settings.database_url or f"sqlite:///{settings.data_dir / 'mitradesa.sqlite3'}"


def check_database(settings: Settings) -> list[Finding]:
    url = database_url(settings)
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        return [Finding("database_connection", "Basis data", Level.problem,
                        f"MITRADESA_DATABASE_URL tidak dapat dibaca: {exc}.",
                        "Tulis URL seperti postgresql://pengguna:sandi@host:5432/mitradesa.")]
    shown = parsed.render_as_string(hide_password=True)
    findings = [_backend_finding(settings, parsed.get_backend_name())]
    if _missing_sqlite_file(parsed.get_backend_name(), parsed.database):
        return [*findings, Finding(
            "database_connection", "Basis data", Level.problem,
            f"Berkas basis data {parsed.database} belum ada.",
            "Jalankan `mitradesa db upgrade` (dan `mitradesa regions load`).")]
    options = ({"connect_args": {"connect_timeout": CONNECT_TIMEOUT_SECONDS}}
               if parsed.get_backend_name() == "postgresql" else {})
    engine = make_engine(url, **options)
    try:
        with engine.connect() as connection:
            current = migrate.current_revision(connection)
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        return [*findings, Finding(
            "database_connection", "Basis data", Level.problem,
            f"Tidak dapat terhubung ke {shown}: {reason}",
            "Periksa MITRADESA_DATABASE_URL (host, port, nama, pengguna, sandi) dan bahwa "
            "server basis data berjalan dan menerima sambungan dari server ini.")]
    finally:
        engine.dispose()
    findings.append(Finding("database_connection", "Basis data", Level.ok,
                            f"Terhubung ke {shown}."))
    return [*findings, _schema_finding(current, migrate.head_revision())]


def _missing_sqlite_file(backend: str, database: str | None) -> bool:
    """Connecting would create an empty file; the doctor only looks."""
    return backend == "sqlite" and database not in (None, "", ":memory:") and not Path(
        str(database)).exists()


def _backend_finding(settings: Settings, backend: str) -> Finding:
    title = "Jenis basis data"
    if backend == "sqlite" and strict(settings):
        return Finding("database_backend", title, Level.warn,
                       "SQLite di produksi: satu penulis pada satu waktu, tanpa cadangan "
                       "daring selain `mitradesa backup`.",
                       "Untuk server bersama, pakai PostgreSQL: isi MITRADESA_DATABASE_URL="
                       "postgresql://…, lalu `mitradesa db upgrade`.")
    names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
    return Finding("database_backend", title, Level.ok, names.get(backend, backend) + ".")


def _schema_finding(current: str | None, head: str | None) -> Finding:
    title = "Skema basis data"
    fix = "Jalankan `mitradesa db upgrade` (buat cadangan dulu: `mitradesa backup`)."
    if current is None:
        return Finding("database_schema", title, Level.problem,
                       "Basis data masih kosong: skema belum dibuat.",
                       "Jalankan `mitradesa db upgrade`, lalu `mitradesa regions load`.")
    if current != head:
        return Finding("database_schema", title, Level.problem,
                       f"Skema pada revisi {current}, yang terbaru {head}.", fix)
    return Finding("database_schema", title, Level.ok, f"Pada revisi terbaru ({head}).")


def check_data_dir(settings: Settings) -> list[Finding]:
    title = "Folder data"
    folder = settings.data_dir
    fix = (f"Buat folder itu dan beri pengguna layanan hak tulis, misalnya: "
           f"mkdir -p {folder} && chown PENGGUNA_LAYANAN {folder}; atau isi "
           "MITRADESA_DATA_DIR dengan folder lain.")
    if not folder.is_dir():
        return [Finding("data_dir", title, Level.problem, f"{folder} tidak ada.", fix)]
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".doctor-"):
            pass
    except OSError as exc:
        return [Finding("data_dir", title, Level.problem,
                        f"{folder} tidak dapat ditulisi ({exc.strerror or exc}).", fix)]
    free = shutil.disk_usage(folder).free
    what = f"{folder} dapat ditulisi; ruang kosong {file_size(free)}."
    if free < LOW_DISK_BYTES:
        return [Finding("data_dir", title, Level.warn, what,
                        "Kosongkan ruang disk: unggahan dan cadangan memerlukannya.")]
    return [Finding("data_dir", title, Level.ok, what)]


def check_smtp(settings: Settings) -> list[Finding]:
    title = "Server e-mail (SMTP)"
    if not settings.smtp_host.strip():
        return [Finding("smtp", title, Level.warn,
                        "MITRADESA_SMTP_HOST kosong: ringkasan e-mail (digest) mati.",
                        "Untuk mengirim ringkasan, isi MITRADESA_SMTP_HOST, MITRADESA_SMTP_PORT "
                        "dan MITRADESA_SMTP_SENDER (lihat README, bagian E-mail digest).")]
    findings = [_smtp_connection_finding(settings)]
    if not settings.smtp_sender.strip():
        findings.append(Finding("smtp_sender", "Pengirim e-mail", Level.problem,
                                "MITRADESA_SMTP_SENDER kosong: ringkasan tidak dapat dikirim.",
                                "Isi MITRADESA_SMTP_SENDER, misalnya "
                                "'DPMD <noreply@dpmd.example.go.id>'."))
    else:
        findings.append(Finding("smtp_sender", "Pengirim e-mail", Level.ok,
                                settings.smtp_sender))
    return findings


def _smtp_connection_finding(settings: Settings) -> Finding:
    title = "Server e-mail (SMTP)"
    where = f"{settings.smtp_host}:{settings.smtp_port}"
    done = []
    try:
        if settings.smtp_ssl:
            server: smtplib.SMTP = smtplib.SMTP_SSL(
                settings.smtp_host, settings.smtp_port, timeout=CONNECT_TIMEOUT_SECONDS,
                context=ssl.create_default_context())
        else:
            server = smtplib.SMTP(settings.smtp_host, settings.smtp_port,
                                  timeout=CONNECT_TIMEOUT_SECONDS)
    except OSError as exc:
        return Finding("smtp", title, Level.problem,
                       f"Tidak dapat terhubung ke {where}: {exc}.",
                       "Periksa MITRADESA_SMTP_HOST dan MITRADESA_SMTP_PORT (587 dengan "
                       "STARTTLS, 465 dengan SSL) dan bahwa server SMTP berjalan.")
    try:
        code, _ = server.ehlo()
        if code != 250:
            raise smtplib.SMTPHeloError(code, b"EHLO")
        done.append("EHLO diterima")
        if settings.smtp_starttls and not settings.smtp_ssl:
            server.starttls(context=ssl.create_default_context())
            done.append("STARTTLS")
        if settings.smtp_username:
            server.login(settings.smtp_username, settings.smtp_password)
            done.append(f"login {settings.smtp_username} berhasil")
    except smtplib.SMTPAuthenticationError:
        return Finding("smtp", title, Level.problem,
                       f"Server {where} menolak login {settings.smtp_username}.",
                       "Periksa MITRADESA_SMTP_USERNAME dan MITRADESA_SMTP_PASSWORD.")
    except (smtplib.SMTPException, OSError) as exc:
        return Finding("smtp", title, Level.problem,
                       f"Server {where} menolak sambungan: {exc}.",
                       "Periksa MITRADESA_SMTP_STARTTLS / MITRADESA_SMTP_SSL dan port server.")
    finally:
        try:
            server.quit()
        except (smtplib.SMTPException, OSError):
            server.close()
    return Finding("smtp", title, Level.ok, f"Terhubung ke {where}: {', '.join(done)}.")


def check_proxies(settings: Settings) -> list[Finding]:
    title = "Proksi tepercaya"
    entries = trusted_proxy_entries(settings)
    if not entries:
        what = ("MITRADESA_TRUSTED_PROXIES kosong: X-Forwarded-For/-Proto diabaikan, sehingga "
                "alamat klien (pembatasan login, jejak audit) dan deteksi HTTPS diambil dari "
                "soket, yaitu dari proksi bila ada.")
        if not strict(settings):
            return [Finding("trusted_proxies", title, Level.ok, what)]
        return [Finding("trusted_proxies", title, Level.warn, what,
                        "Di belakang proksi balik (nginx, Caddy), isi MITRADESA_TRUSTED_PROXIES "
                        "dengan alamatnya, misalnya 127.0.0.1.")]
    bad = [entry for entry in entries if entry != "*" and not _is_address(entry)]
    if bad:
        return [Finding("trusted_proxies", title, Level.problem,
                        "Bukan alamat atau jaringan: " + ", ".join(bad) + ".",
                        "Tulis alamat IP atau jaringan, dipisah koma, misalnya "
                        "127.0.0.1,10.0.0.0/8.")]
    if "*" in entries:
        return [Finding("trusted_proxies", title, Level.warn,
                        "MITRADESA_TRUSTED_PROXIES berisi *: siapa pun dapat memalsukan alamat "
                        "kliennya dan HTTPS.",
                        "Ganti * dengan alamat proksi saja, misalnya 127.0.0.1.")]
    return [Finding("trusted_proxies", title, Level.ok,
                    "X-Forwarded-For/-Proto dipercaya dari: " + ", ".join(entries) + ".")]


def _is_address(entry: str) -> bool:
    try:
        ipaddress.ip_network(entry, strict=False)
    except ValueError:
        return False
    return True


def check_https_cookies(settings: Settings) -> list[Finding]:
    title = "Cookie HTTPS"
    how = ("Cookie sesi dan CSRF diberi tanda Secure bila permintaan tiba lewat https; "
           "`mitradesa serve` sendiri hanya berbicara HTTP, jadi https diketahui dari "
           "X-Forwarded-Proto: https yang dikirim proksi tepercaya.")
    findings = []
    url = settings.public_url.strip()
    if url and strict(settings) and not url.lower().startswith("https://"):
        findings.append(Finding(
            "public_url", "Alamat publik", Level.problem,
            f"MITRADESA_PUBLIC_URL={url} bukan https://: tautan di e-mail membuka halaman "
            "login tanpa enkripsi.",
            "Sajikan aplikasi lewat HTTPS dan isi MITRADESA_PUBLIC_URL=https://…"))
    elif url:
        findings.append(Finding("public_url", "Alamat publik", Level.ok, url))
    if strict(settings) and not trusted_proxy_entries(settings):
        findings.append(Finding(
            "https_cookies", title, Level.warn,
            how + " Tanpa proksi tepercaya, cookie dikirim tanpa Secure.",
            "Pasang proksi HTTPS di depan aplikasi yang mengirim X-Forwarded-Proto, dan isi "
            "MITRADESA_TRUSTED_PROXIES dengan alamatnya."))
    else:
        findings.append(Finding("https_cookies", title, Level.ok, how))
    return findings


def check_workers(settings: Settings) -> list[Finding]:
    cpus = os.cpu_count() or 1
    what = f"{settings.workers} proses server, {cpus} inti CPU."
    if settings.workers > cpus:
        return [Finding("workers", "Proses server", Level.warn, what,
                        f"Lebih banyak proses dari inti CPU tidak mempercepat; isi "
                        f"MITRADESA_WORKERS={cpus}.")]
    fix = (f"Untuk melayani lebih banyak halaman, isi MITRADESA_WORKERS={cpus}."
           if settings.workers < cpus else "")
    return [Finding("workers", "Proses server", Level.ok, what, fix)]


CHECKS = (check_environment, check_secret_key, check_database, check_data_dir, check_smtp,
          check_proxies, check_https_cookies, check_workers)


def run_checks(settings: Settings) -> list[Finding]:
    return [finding for check in CHECKS for finding in check(settings)]
