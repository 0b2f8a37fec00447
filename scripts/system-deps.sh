#!/usr/bin/env bash
# Debian packages the platform needs. For `run`: gettext (English translations), and for PDFs (WeasyPrint)
# Pango, its FreeType backend and HarfBuzz's subsetter, with the Noto CJK fonts that print the Chinese text.
# For `test` also Chromium (browser tests, driven by Playwright — never a downloaded browser).
# Installs only what is missing; prints what it cannot install and goes on.
set -euo pipefail
libs="$(ldconfig -p 2>/dev/null || /sbin/ldconfig -p 2>/dev/null || true)"
has_lib() { [[ "$libs" == *"$1"* ]]; }
need=()
command -v msgfmt >/dev/null || need+=(gettext)
has_lib libpango-1.0.so.0 || need+=(libpango-1.0-0)
has_lib libpangoft2-1.0.so.0 || need+=(libpangoft2-1.0-0)
has_lib libharfbuzz-subset.so.0 || need+=(libharfbuzz-subset0)
[ -d /usr/share/fonts/opentype/noto ] || need+=(fonts-noto-cjk)
if [ "${1:-run}" = "test" ]; then
  command -v chromium >/dev/null || need+=(chromium)
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
