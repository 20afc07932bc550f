#!/usr/bin/env bash
# mitradesa's restore drill (installed as /usr/local/bin/mitradesa-restore-drill, run weekly
# by mitradesa-restore-drill.timer as the user mitradesa with /etc/mitradesa/mitradesa.env).
#
# Restores the newest archive under $MITRADESA_BACKUP_DIR (daily/ and weekly/) into a
# throw-away database and a temporary data folder, then checks what came back:
#   - `mitradesa restore` itself compares every table's rows with the archive's manifest;
#   - `mitradesa doctor` reaches the restored database, at the archive's schema revision;
#   - the registry (regions) and the accounts are there, and as many stored files as the
#     archive lists.
# The throw-away database: $MITRADESA_DRILL_DATABASE_URL for a PostgreSQL backup (an empty
# database created once for the drill; it is overwritten each time; never the real one, which
# the drill refuses), a temporary SQLite file for an SQLite backup.
# Exits 0 when all checks pass, non-zero otherwise (the unit is then left failed).
set -euo pipefail
umask 077

backup_dir=${MITRADESA_BACKUP_DIR:-/var/backups/mitradesa}
mitradesa=${MITRADESA_BIN:-/opt/mitradesa/.venv/bin/mitradesa}
python="$(dirname "$mitradesa")/python"

fail() { echo "mitradesa-restore-drill: GAGAL: $*" >&2; exit 1; }

newest=$( { find "$backup_dir/daily" "$backup_dir/weekly" -maxdepth 1 -name 'mitradesa-*.tar.gz' \
             -printf '%f %p\n' 2>/dev/null || true; } | sort | tail -n 1 | cut -d' ' -f2-)
[ -n "$newest" ] || fail "tidak ada cadangan di $backup_dir/daily atau $backup_dir/weekly"

scratch=$(mktemp -d "${TMPDIR:-/var/tmp}/mitradesa-drill.XXXXXX")
trap 'rm -rf -- "$scratch"' EXIT

backend=$("$python" - "$newest" <<'PY'
import json, sys, tarfile
with tarfile.open(sys.argv[1], "r:gz") as archive:
    print(json.load(archive.extractfile("manifest.json"))["backend"])
PY
) || fail "$newest tidak dapat dibaca sebagai cadangan mitradesa"

if [ "$backend" = "sqlite" ]; then
  drill_url="sqlite:///$scratch/drill.sqlite3"
else
  drill_url=${MITRADESA_DRILL_DATABASE_URL:-}
  [ -n "$drill_url" ] || fail "isi MITRADESA_DRILL_DATABASE_URL dengan basis data uji yang kosong"
  "$python" - "$drill_url" "${MITRADESA_DATABASE_URL:-}" <<'PY' || fail "MITRADESA_DRILL_DATABASE_URL menunjuk basis data yang sebenarnya; pakai basis data lain"
import sys
from sqlalchemy import make_url
drill, real = (make_url(url) if url else None for url in sys.argv[1:3])
same = real is not None and (drill.host, drill.port, drill.database,
                             drill.query.get("host")) == (real.host, real.port, real.database,
                                                          real.query.get("host"))
sys.exit(1 if same else 0)
PY
fi

export MITRADESA_DATABASE_URL="$drill_url" MITRADESA_DATA_DIR="$scratch/data"
mkdir -p "$MITRADESA_DATA_DIR"
echo "mitradesa-restore-drill: memulihkan $newest ke basis data uji"
"$mitradesa" restore --replace "$newest" || fail "pemulihan $newest tidak berhasil"
"$mitradesa" doctor --format json > "$scratch/doctor.json" || true

"$python" - "$newest" "$scratch/doctor.json" <<'PY' || fail "hasil pemulihan $newest tidak lengkap"
import json, os, sys, tarfile
from pathlib import Path
from sqlalchemy import create_engine, text

archive, doctor = sys.argv[1], json.loads(Path(sys.argv[2]).read_text())
with tarfile.open(archive, "r:gz") as tar:
    manifest = json.load(tar.extractfile("manifest.json"))
problems = []
findings = {finding["nama"]: finding for finding in doctor["temuan"]}
connection_finding = findings.get("database_connection", {})
if connection_finding.get("hasil") != "ok":
    problems.append("doctor: " + connection_finding.get("keadaan", "basis data tidak diperiksa"))
engine = create_engine(os.environ["MITRADESA_DATABASE_URL"])
with engine.connect() as connection:
    regions = connection.scalar(text("SELECT count(*) FROM regions"))
    users = connection.scalar(text("SELECT count(*) FROM users"))
    revision = connection.scalar(text("SELECT version_num FROM alembic_version"))
engine.dispose()
if revision != manifest["revision"]:
    problems.append(f"skema {revision} setelah pemulihan, cadangan mencatat {manifest['revision']}")
if not regions:
    problems.append("tidak ada wilayah (regions) dalam basis data yang dipulihkan")
if not users:
    problems.append("tidak ada pengguna dalam basis data yang dipulihkan")
data = Path(os.environ["MITRADESA_DATA_DIR"])
files = sum(1 for folder in ("documents", "photos", "imports", "uploads")
            if (data / folder).is_dir() for path in (data / folder).rglob("*") if path.is_file())
if files != manifest["files"]:
    problems.append(f"{files} berkas dipulihkan, cadangan mencatat {manifest['files']}")
for problem in problems:
    print("mitradesa-restore-drill: " + problem, file=sys.stderr)
if problems:
    sys.exit(1)
print(f"mitradesa-restore-drill: BERHASIL: {archive} (dibuat {manifest['created']}, skema "
      f"{manifest['revision']}): {regions} wilayah, {users} pengguna, {files} berkas.")
PY
