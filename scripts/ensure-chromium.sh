#!/usr/bin/env bash
# The browser tests drive Debian's Chromium; install it when missing and we are allowed to.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "安装 Debian chromium（浏览器测试需要）…"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null 2>&1 || {
    apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null; }
  exit 0
fi
echo "缺少 /usr/bin/chromium：请以 root 运行 'apt-get install chromium' 后重试。" >&2
exit 1
