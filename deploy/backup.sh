#!/usr/bin/env bash
# mitradesa's scheduled backup (installed as /usr/local/bin/mitradesa-backup, run daily by
# mitradesa-backup.timer as the user mitradesa with /etc/mitradesa/mitradesa.env).
#
# Writes one archive of the database and the stored files with `mitradesa backup` into
#   $MITRADESA_BACKUP_DIR/daily/mitradesa-YYYYMMDD-HHMMSS.tar.gz
# and keeps:
#   - the newest $MITRADESA_BACKUP_KEEP_DAILY daily archives (default 14);
#   - one archive a week in weekly/ (a hard link, no extra space), the newest
#     $MITRADESA_BACKUP_KEEP_WEEKLY of them (default 8): about two months back.
# Exits non-zero when the backup fails; older archives are then left as they were.
set -euo pipefail
umask 077

backup_dir=${MITRADESA_BACKUP_DIR:-/var/backups/mitradesa}
keep_daily=${MITRADESA_BACKUP_KEEP_DAILY:-14}
keep_weekly=${MITRADESA_BACKUP_KEEP_WEEKLY:-8}
mitradesa=${MITRADESA_BIN:-/opt/mitradesa/.venv/bin/mitradesa}

for number in "$keep_daily" "$keep_weekly"; do
  [[ "$number" =~ ^[1-9][0-9]*$ ]] || {
    echo "mitradesa-backup: keep counts must be whole numbers of 1 or more" >&2; exit 2; }
done
mkdir -p "$backup_dir/daily" "$backup_dir/weekly"

name="mitradesa-$(date +%Y%m%d-%H%M%S).tar.gz"
"$mitradesa" backup "$backup_dir/daily/$name"

# A weekly copy when the newest weekly one is 7 days old or more (or there is none).
if [ -z "$(find "$backup_dir/weekly" -maxdepth 1 -name 'mitradesa-*.tar.gz' -mtime -7 -print -quit)" ]; then
  ln "$backup_dir/daily/$name" "$backup_dir/weekly/$name"
fi

# Rotation: names sort by time, newest last; delete all but the newest N of each kind.
prune() {
  local folder=$1 keep=$2
  find "$folder" -maxdepth 1 -name 'mitradesa-*.tar.gz' -printf '%f\n' | sort | head -n "-$keep" |
    while read -r old; do rm -f -- "$folder/$old"; echo "mitradesa-backup: removed $folder/$old"; done
}
prune "$backup_dir/daily" "$keep_daily"
prune "$backup_dir/weekly" "$keep_weekly"
echo "mitradesa-backup: $backup_dir/daily/$name written;" \
  "$(find "$backup_dir/daily" -maxdepth 1 -name 'mitradesa-*.tar.gz' | wc -l) daily and" \
  "$(find "$backup_dir/weekly" -maxdepth 1 -name 'mitradesa-*.tar.gz' | wc -l) weekly kept"
