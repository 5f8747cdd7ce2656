#!/usr/bin/env bash
# The message catalogue check needs GNU gettext (xgettext, msgmerge, msgfmt); install it when
# missing and we are allowed to. The compiled .mo is committed, so `make run` does not need it.
set -euo pipefail
command -v xgettext >/dev/null && command -v msgfmt >/dev/null && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "安装 gettext（翻译目录检查需要）…"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q gettext >/dev/null 2>&1 || {
    apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q gettext >/dev/null; }
  exit 0
fi
echo "缺少 gettext：请以 root 运行 'apt-get install gettext' 后重试。" >&2
exit 1
