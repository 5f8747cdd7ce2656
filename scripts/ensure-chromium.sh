#!/usr/bin/env bash
# The browser tests drive Debian's Chromium; install it (and a CJK font, so screenshots are legible)
# when missing and we are allowed to.
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
fc-list :lang=zh 2>/dev/null | grep -q . || missing+=(fonts-wqy-microhei)
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "安装 ${missing[*]}（浏览器测试需要）…"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null 2>&1 || {
    apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null; }
  exit 0
fi
if [ ! -x /usr/bin/chromium ]; then
  echo "缺少 /usr/bin/chromium：请以 root 运行 'apt-get install chromium' 后重试。" >&2
  exit 1
fi
echo "提示：未找到中文字体，截图中的汉字会显示为方框（apt-get install fonts-wqy-microhei）。" >&2
