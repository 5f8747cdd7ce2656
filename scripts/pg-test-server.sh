#!/usr/bin/env bash
# Source this file: it makes sure a PostgreSQL server is running for the test suite and exports
# DATABASE_URL. Uses $DATABASE_URL if already set; otherwise starts a throwaway cluster under
# var/pg (as the postgres user when we are root), installing Debian's postgresql if absent.
if [ -n "${DATABASE_URL:-}" ]; then return 0 2>/dev/null || exit 0; fi
PGPORT_TEST=${PGPORT_TEST:-54329}
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$PGBIN" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "安装 Debian postgresql（PostgreSQL 测试需要）…"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null 2>&1 || {
      apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null; }
    PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  else
    echo "缺少 PostgreSQL：请安装 Debian 的 postgresql，或设置 DATABASE_URL。" >&2
    return 1 2>/dev/null || exit 1
  fi
fi
PGDATA_DIR=${PGDATA_DIR:-/tmp/huying-pg-$PGPORT_TEST}
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if ! as_pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1; then
  if [ ! -f "$PGDATA_DIR/PG_VERSION" ]; then
    mkdir -p "$PGDATA_DIR"
    [ "$(id -u)" = 0 ] && chown postgres "$PGDATA_DIR"
    as_pg "$PGBIN/initdb" -D "$PGDATA_DIR" -U huying --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  as_pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -l "$PGDATA_DIR/server.log" -w \
    -o "-p $PGPORT_TEST -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >/dev/null
fi
export DATABASE_URL="postgres://huying@127.0.0.1:$PGPORT_TEST/huying"
as_pg "$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT_TEST" -U huying -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='huying'" | grep -q 1 \
  || as_pg "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT_TEST" -U huying huying
echo "PostgreSQL: $DATABASE_URL"
