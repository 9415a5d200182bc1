#!/usr/bin/env bash
# Installs Debian's Chromium (and the DejaVu fonts the reports use) for the report's
# browser tests and `pilot report --pdf`, and poppler-utils, whose pdftotext the PDF
# layout test reads the printed pages with. Never downloads a browser from anywhere else:
# playwright-core drives /usr/bin/chromium. Idempotent: does nothing when all are there.
# Runs as root (CI containers) without sudo, or as a user with sudo.
set -euo pipefail

packages=()
[ -x /usr/bin/chromium ] || packages+=(chromium)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || packages+=(fonts-dejavu-core)
command -v pdftotext >/dev/null 2>&1 || packages+=(poppler-utils)
if [ "${#packages[@]}" -eq 0 ]; then
  echo "chromium and pdftotext already installed: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo)
else
  echo "ci-install-chromium: need root or sudo to install ${packages[*]} with apt-get" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "ci-install-chromium: apt-get not found; install Debian's chromium package by hand (expected at /usr/bin/chromium)" >&2
  exit 1
fi

echo "installing ${packages[*]} from Debian's packages"
# env passes DEBIAN_FRONTEND through sudo, which would otherwise drop it.
${as_root[@]+"${as_root[@]}"} env DEBIAN_FRONTEND=noninteractive apt-get update -qq
${as_root[@]+"${as_root[@]}"} env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}"
/usr/bin/chromium --version
