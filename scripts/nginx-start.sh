#!/usr/bin/env bash
# Run nginx on loopback in front of gunicorn with config/nginx/huying.conf (docs/adr/0014-slow-clients.md).
#
#   scripts/nginx-start.sh [LISTEN] [UPSTREAM[,UPSTREAM...]]   defaults: 127.0.0.1:8080 in front of 127.0.0.1:8000
#
# Static files are served from $HUYING_STATIC_ROOT (default $HUYING_VAR_DIR/staticfiles, run
# `manage.py collectstatic` first); nginx's files go to $HUYING_NGINX_DIR (default $HUYING_VAR_DIR/nginx).
# Installs nginx from Debian when it is missing and we are root. Exit status 3: no nginx to be had.
# Stop it with: scripts/nginx-start.sh stop
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
var=${HUYING_VAR_DIR:-$root/var}
run=${HUYING_NGINX_DIR:-$var/nginx}
static=${HUYING_STATIC_ROOT:-$var/staticfiles}
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)

if [ "${1:-}" = stop ]; then
  [ -f "$run/nginx.pid" ] && "$nginx_bin" -p "$run" -c "$run/nginx.conf" -s quit
  exit 0
fi
listen=${1:-127.0.0.1:8080}
upstream=${2:-127.0.0.1:8000}

if [ ! -x "$nginx_bin" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "安装 nginx（生产环境前置代理）…" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx-light >/dev/null 2>&1 ||
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx >/dev/null 2>&1 || {
        apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx >/dev/null 2>&1; } ||
      true
  fi
  nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
  [ -x "$nginx_bin" ] || { echo "缺少 nginx：请以 root 运行 'apt-get install nginx' 后重试。" >&2; exit 3; }
fi

mkdir -p "$run" "$static"
mime=/etc/nginx/mime.types
[ -f "$mime" ] || mime="$run/mime.types"
[ -f "$mime" ] || printf 'types { text/html html; text/css css; application/javascript js; image/png png; image/svg+xml svg; }\n' >"$mime"
# Several app nodes, comma-separated: one `server` line each (a node that fails twice sits out 5 s).
servers=""
IFS=, read -ra nodes <<<"$upstream"
for node in "${nodes[@]}"; do
  [ "${#nodes[@]}" -gt 1 ] && node="$node max_fails=2 fail_timeout=5s"
  servers="$servers    server $node;\n"
done
sed -e "s|@LISTEN@|$listen|g" -e "s|@STATIC_ROOT@|$static|g" "$root/config/nginx/huying.conf" |
  awk -v servers="$servers" '/server @UPSTREAM@;/ { printf "%s", servers; next } { print }' >"$run/huying.conf"
user_line=""
[ "$(id -u)" = 0 ] && user_line="user root;"  # a local run: the workers read the checkout's files
cat >"$run/nginx.conf" <<CONF
# Made by scripts/nginx-start.sh around config/nginx/huying.conf; a server uses its own nginx.conf.
$user_line
worker_processes 1;
pid $run/nginx.pid;
error_log $run/error.log warn;
events { worker_connections 4096; }
http {
    include $mime;
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    client_body_temp_path $run/body;
    proxy_temp_path $run/proxy;
    fastcgi_temp_path $run/fastcgi;
    uwsgi_temp_path $run/uwsgi;
    scgi_temp_path $run/scgi;
    include $run/huying.conf;
}
CONF
"$nginx_bin" -p "$run" -c "$run/nginx.conf" -t -q
"$nginx_bin" -p "$run" -c "$run/nginx.conf"
echo "nginx 已在 http://$listen 启动，转发至 $upstream（停止：scripts/nginx-start.sh stop）" >&2
