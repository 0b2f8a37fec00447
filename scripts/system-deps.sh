#!/usr/bin/env bash
# Debian packages the platform needs: gettext (English translations) for `run`; for `test` also Chromium
# (browser tests, driven by Playwright — never a downloaded browser) and Noto CJK fonts (Chinese in
# screenshots and PDFs). Installs only what is missing; prints what it cannot install and goes on.
set -euo pipefail
need=()
command -v msgfmt >/dev/null || need+=(gettext)
if [ "${1:-run}" = "test" ]; then
  command -v chromium >/dev/null || need+=(chromium)
  [ -d /usr/share/fonts/opentype/noto ] || need+=(fonts-noto-cjk)
fi
[ ${#need[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null; then
  echo "缺少系统软件包：${need[*]}（非 Debian/Ubuntu 系统请手动安装）" >&2
  exit 0
fi
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "安装系统软件包：${need[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
