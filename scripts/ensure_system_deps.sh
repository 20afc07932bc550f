#!/usr/bin/env bash
# Install the Debian packages mitradesa needs when they are missing: Pango and a font for
# the PDF reports (WeasyPrint) always; with `test`, also postgresql, chromium and nginx for
# the tests.
set -euo pipefail
missing=()
for package in libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core; do
  dpkg -s "$package" > /dev/null 2>&1 || missing+=("$package")
done
if [ "${1:-}" = "test" ]; then
  compgen -G "/usr/lib/postgresql/*/bin/initdb" > /dev/null || missing+=(postgresql)
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  command -v pdftotext > /dev/null || missing+=(poppler-utils)  # reads generated PDFs back
  # the deployment test (tests/deployment): nginx in front, openssl for its certificate,
  # logrotate and systemd-analyze to check the files in deploy/
  [ -x /usr/sbin/nginx ] || command -v nginx > /dev/null || missing+=(nginx)
  command -v openssl > /dev/null || missing+=(openssl)
  command -v logrotate > /dev/null || [ -x /usr/sbin/logrotate ] || missing+=(logrotate)
fi
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing Debian packages: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" > /dev/null
elif command -v sudo > /dev/null; then
  sudo apt-get update -qq
  sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" > /dev/null
else
  echo "Please install: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
