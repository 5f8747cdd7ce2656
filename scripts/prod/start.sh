#!/usr/bin/env bash
# make run-prod: the production profile on this host, from Debian and PyPI packages: a PostgreSQL primary
# and a streaming replica, Redis, two gunicorn app nodes behind nginx, the task workers and a sweep per
# node (docs/deploy.md). Everything listens on loopback; `make stop-prod` stops it all.
#
#   scripts/prod/start.sh [--no-demo] [--fast]
#
# --fast starts only what is not running (no migrate, static files or demo): to bring back a part that died.
#
# Secrets are made once into var/prod/secrets.env (mode 600): a real deployment supplies its own.
set -euo pipefail
. "$(dirname "$0")/env.sh"
cd "$root"
demo=1
fast=0
for arg in "$@"; do
  case "$arg" in --no-demo) demo=0 ;; --fast) fast=1 ;; esac
done
mkdir -p "$PROD_DIR" "$RUN" "$LOG" "$PROD_DIR/media" "$PROD_DIR/static" "$PROD_DIR/var" "$PROD_DIR/redis"

ensure_packages() {
  local missing=()
  [ -n "$PGBIN" ] || missing+=(postgresql)
  command -v redis-server >/dev/null || missing+=(redis-server)
  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
  [ ${#missing[@]} = 0 ] && return 0
  if [ "$(id -u)" != 0 ]; then echo "缺少 ${missing[*]}：请以 root 运行 apt-get install ${missing[*]}" >&2; exit 3; fi
  echo "安装 ${missing[*]} …" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null 2>&1 || {
    apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null; }
  PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
}

secrets() {
  [ -f "$PROD_DIR/secrets.env" ] && return 0
  umask 077
  printf 'DJANGO_SECRET_KEY=%s\n' "$("$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(50))')" >"$PROD_DIR/secrets.env"
}

pg_primary() {
  if [ ! -f "$PG_PRIMARY_DIR/PG_VERSION" ]; then
    mkdir -p "$PG_PRIMARY_DIR" && [ "$(id -u)" = 0 ] && chown postgres "$PG_PRIMARY_DIR"
    as_pg "$PGBIN/initdb" -D "$PG_PRIMARY_DIR" -U huying --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if ! as_pg "$PGBIN/pg_ctl" -D "$PG_PRIMARY_DIR" status >/dev/null 2>&1; then
    as_pg "$PGBIN/pg_ctl" -D "$PG_PRIMARY_DIR" -l "$PG_PRIMARY_DIR/server.log" -w -o "-p $PG_PRIMARY_PORT -k /tmp \
      -c listen_addresses=127.0.0.1 -c wal_level=replica -c max_wal_senders=5 -c wal_keep_size=256MB \
      -c hot_standby=on -c max_connections=200" start >/dev/null
  fi
  as_pg "$PGBIN/psql" -h 127.0.0.1 -p "$PG_PRIMARY_PORT" -U huying -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname='huying'" | grep -q 1 ||
    as_pg "$PGBIN/createdb" -h 127.0.0.1 -p "$PG_PRIMARY_PORT" -U huying huying
}

pg_replica() {
  if [ ! -f "$PG_REPLICA_DIR/PG_VERSION" ]; then
    rm -rf "$PG_REPLICA_DIR" && mkdir -p "$PG_REPLICA_DIR" && [ "$(id -u)" = 0 ] && chown postgres "$PG_REPLICA_DIR"
    chmod 700 "$PG_REPLICA_DIR"
    # A copy of the primary that keeps streaming from it (-R writes primary_conninfo and standby.signal).
    as_pg "$PGBIN/pg_basebackup" -h 127.0.0.1 -p "$PG_PRIMARY_PORT" -U huying -D "$PG_REPLICA_DIR" -R -X stream -c fast
  fi
  if ! as_pg "$PGBIN/pg_ctl" -D "$PG_REPLICA_DIR" status >/dev/null 2>&1; then
    as_pg "$PGBIN/pg_ctl" -D "$PG_REPLICA_DIR" -l "$PG_REPLICA_DIR/server.log" -w -o "-p $PG_REPLICA_PORT -k /tmp \
      -c listen_addresses=127.0.0.1 -c hot_standby=on -c max_connections=200" start >/dev/null
  fi
}

redis() {
  redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && return 0
  # The task queue lives here: append-only file, fsync every second.
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --daemonize yes --dir "$PROD_DIR/redis" \
    --pidfile "$RUN/redis.pid" --logfile "$LOG/redis.log" --appendonly yes --appendfsync everysec --save ""
  for _ in $(seq 1 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "Redis 未能启动（见 $LOG/redis.log）" >&2; exit 1
}

background() {  # name, command...: a process of its own, its pid in run/, its output in log/
  local name=$1; shift
  if [ -f "$RUN/$name.pid" ] && kill -0 "$(cat "$RUN/$name.pid")" 2>/dev/null; then return 0; fi
  nohup "$@" >>"$LOG/$name.log" 2>&1 &
  echo $! >"$RUN/$name.pid"
}

ensure_packages
secrets
echo "== PostgreSQL primary :$PG_PRIMARY_PORT, replica :$PG_REPLICA_PORT; Redis :$REDIS_PORT"
pg_primary
pg_replica
redis
prod_env
if [ "$fast" = 0 ]; then
echo "== migrate, signing key, static files$([ "$demo" = 1 ] && echo ", demo data")"
"$BIN/python" manage.py migrate --noinput -v0 --skip-checks  # the signing key is made next
ls "$HUYING_LICENCE_KEY_DIR"/*.key >/dev/null 2>&1 || "$BIN/python" manage.py licence_keys create --skip-checks >/dev/null
"$BIN/python" manage.py collectstatic --noinput -v0
[ "$demo" = 1 ] && "$BIN/python" manage.py demo --if-empty >"$LOG/demo.log" 2>&1
fi

i=0
upstreams=()
for port in $NODE_PORTS; do
  i=$((i + 1))
  node=node-$i
  rm -rf "$PROD_DIR/metrics/$node" && mkdir -p "$PROD_DIR/metrics/$node"
  if ! { [ -f "$RUN/$node.pid" ] && kill -0 "$(cat "$RUN/$node.pid")" 2>/dev/null; }; then
    HUYING_NODE=$node HUYING_BIND=127.0.0.1:$port PROMETHEUS_MULTIPROC_DIR=$PROD_DIR/metrics/$node \
      "$BIN/gunicorn" -c config/gunicorn.conf.py config.wsgi:application --daemon \
      --pid "$RUN/$node.pid" --error-logfile "$LOG/$node.log" --capture-output
  fi
  # Each node runs the sweep; the shared lock lets one of them work each round.
  HUYING_NODE=$node background "sweep-$i" "$BIN/python" manage.py sweep --loop "$SWEEP_SECONDS"
  upstreams+=("127.0.0.1:$port")
done
for w in $(seq 1 "$TASK_WORKERS"); do
  HUYING_NODE=worker-$w background "worker-$w" "$BIN/python" manage.py rqworker default
done
if ! { [ -f "$PROD_DIR/nginx/nginx.pid" ] && kill -0 "$(cat "$PROD_DIR/nginx/nginx.pid")" 2>/dev/null; }; then
  HUYING_NGINX_DIR=$PROD_DIR/nginx HUYING_STATIC_ROOT=$HUYING_STATIC_ROOT \
    scripts/nginx-start.sh "127.0.0.1:$NGINX_PORT" "$(IFS=,; echo "${upstreams[*]}")" 2>/dev/null
fi
for _ in $(seq 1 120); do
  curl -sf -o /dev/null "http://127.0.0.1:$NGINX_PORT/readyz" && break
  sleep 0.5
done
curl -sf "http://127.0.0.1:$NGINX_PORT/readyz" >/dev/null || { echo "节点未就绪：见 $LOG/" >&2; exit 1; }
echo "== 生产形态已启动: http://127.0.0.1:$NGINX_PORT  (节点 ${upstreams[*]}; 健康 /healthz, 就绪 /readyz, 指标 <节点>/metrics)"
echo "   日志 $LOG/ (JSON 行，含 request_id)；停止：make stop-prod"
