#!/usr/bin/env bash
# make stop-prod: stop every process of the production profile (scripts/prod/start.sh). The data stay;
# `scripts/prod/stop.sh --purge` removes them too (databases, Redis, media, secrets); `--apps` stops
# only the app nodes, sweeps and workers.
set -uo pipefail
. "$(dirname "$0")/env.sh"
cd "$root"
stop_pid() {  # pid file: TERM, then KILL after 10 s
  local file=$1 pid
  [ -f "$file" ] || return 0
  pid=$(cat "$file")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
  fi
  rm -f "$file"
}
for file in "$RUN"/node-*.pid "$RUN"/sweep-*.pid "$RUN"/worker-*.pid; do stop_pid "$file"; done
# --apps: only the app nodes, sweeps and workers (to point them at another database); the rest stays.
[ "${1:-}" = --apps ] && exit 0
HUYING_NGINX_DIR=$PROD_DIR/nginx scripts/nginx-start.sh stop >/dev/null 2>&1 || true
redis-cli -p "$REDIS_PORT" shutdown >/dev/null 2>&1 || true
rm -f "$RUN/redis.pid"
for dir in "$PG_REPLICA_DIR" "$PG_PRIMARY_DIR"; do
  [ -n "$PGBIN" ] && [ -f "$dir/PG_VERSION" ] && as_pg "$PGBIN/pg_ctl" -D "$dir" -m fast stop >/dev/null 2>&1
done
if [ "${1:-}" = --purge ]; then
  rm -rf "$PG_PRIMARY_DIR" "$PG_REPLICA_DIR" "$PROD_DIR"
fi
echo "生产形态已停止。"
