#!/usr/bin/env bash
# Installs the Debian packages the tests need, when missing: Chromium (report tests), CJK fonts,
# PostgreSQL server binaries (the store is tested against a throw-away cluster too) and LibreOffice's
# presentation converter (legacy .ppt files are converted to .pptx).
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-impress-nogui)
command -v 7zz >/dev/null 2>&1 || need+=(7zip)  # .7z team archives are made in tests
command -v unar >/dev/null 2>&1 || need+=(unar)  # RAR members are unpacked through unar
command -v bsdtar >/dev/null 2>&1 || need+=(libarchive-tools)
fc-list :lang=zh 2>/dev/null | grep -qi 'noto' || need+=(fonts-noto-cjk)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: please install ${need[*]} (needs root and apt-get)" >&2
  exit 0
fi
echo "system-deps: installing ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
