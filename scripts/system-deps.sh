#!/usr/bin/env bash
# Installs the Debian packages the tests need, when missing: Chromium (report tests), CJK fonts,
# PostgreSQL server binaries (the store is tested against a throw-away cluster too) and LibreOffice's
# presentation converter (legacy .ppt files are converted to .pptx), writer and calc (WPS files) and
# dovecot (the mail intake's tests).
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-impress-nogui)
command -v 7zz >/dev/null 2>&1 || need+=(7zip)  # .7z team archives are made in tests
command -v unar >/dev/null 2>&1 || need+=(unar)  # RAR members are unpacked through unar
command -v bsdtar >/dev/null 2>&1 || need+=(libarchive-tools)
# WPS 文字/表格 (.wps/.et) and Word/Excel go through LibreOffice's writer and calc
ls /usr/lib/libreoffice/program/libswlo.so >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
ls /usr/lib/libreoffice/program/libsclo.so >/dev/null 2>&1 || need+=(libreoffice-calc-nogui)
# the mail intake is tested against a real IMAP server
[ -x /usr/sbin/dovecot ] || need+=(dovecot-imapd)
fc-list :lang=zh 2>/dev/null | grep -qi 'noto' || need+=(fonts-noto-cjk)
[ -e /usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf ] || need+=(fonts-arphic-gbsn00lp)
[ -e /usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf ] || need+=(fonts-arphic-gkai00mp)
[ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || need+=(fonts-wqy-microhei)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: please install ${need[*]} (needs root and apt-get)" >&2
  exit 0
fi
echo "system-deps: installing ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
