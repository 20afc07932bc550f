#!/bin/sh
# Runs a mitradesa command as the service user, with the service's settings
# (/etc/mitradesa/mitradesa.env). Installed as /usr/local/bin/mitradesa-run; as root:
#   mitradesa-run doctor
#   mitradesa-run users create admin --role admin --name "Admin DPMD"
set -eu
env_file=${MITRADESA_ENV_FILE:-/etc/mitradesa/mitradesa.env}
mitradesa=${MITRADESA_BIN:-/opt/mitradesa/.venv/bin/mitradesa}
service_user=${MITRADESA_USER:-mitradesa}
set -a
# shellcheck source=/dev/null  # the settings file, named at run time
. "$env_file"
set +a
cd "${MITRADESA_DATA_DIR:-/var/lib/mitradesa}"
exec runuser -u "$service_user" -- "$mitradesa" "$@"
