# Sourced by scripts/prod/*.sh: where the production profile lives on this host and its ports.
# Every value may be set in the environment first (docs/deploy.md lists them with the settings').
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BIN=${BIN:-$root/.venv/bin}
PROD_DIR=${HUYING_PROD_DIR:-$root/var/prod}
PG_PRIMARY_PORT=${PG_PRIMARY_PORT:-54360}
PG_REPLICA_PORT=${PG_REPLICA_PORT:-54361}
# PostgreSQL's own files: outside the checkout, where the postgres user may write.
PG_PRIMARY_DIR=${PG_PRIMARY_DIR:-/tmp/huying-prod-pg-$PG_PRIMARY_PORT}
PG_REPLICA_DIR=${PG_REPLICA_DIR:-/tmp/huying-prod-pg-$PG_REPLICA_PORT}
REDIS_PORT=${REDIS_PORT:-6390}
NODE_PORTS=${NODE_PORTS:-"8090 8091"}
NGINX_PORT=${NGINX_PORT:-8088}
# Per node: gunicorn processes x threads (two nodes share this host's cores).
NODE_WORKERS=${NODE_WORKERS:-2}
NODE_THREADS=${NODE_THREADS:-2}
TASK_WORKERS=${TASK_WORKERS:-2}
SWEEP_SECONDS=${SWEEP_SECONDS:-60}
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
RUN=$PROD_DIR/run
LOG=$PROD_DIR/log

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# The environment every app process of the profile gets (config/settings/prod.py reads it).
prod_env() {
  set -a
  # shellcheck disable=SC1091
  . "$PROD_DIR/secrets.env"
  set +a
  export DJANGO_SETTINGS_MODULE=config.settings.prod
  export DATABASE_URL=${DATABASE_URL:-postgres://huying@127.0.0.1:$PG_PRIMARY_PORT/huying}
  export DATABASE_REPLICA_URL=${DATABASE_REPLICA_URL-postgres://huying@127.0.0.1:$PG_REPLICA_PORT/huying}
  export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:$REDIS_PORT/0}
  export HUYING_VAR_DIR=$PROD_DIR/var
  export HUYING_MEDIA_ROOT=$PROD_DIR/media            # on real servers: a mount every node shares
  export HUYING_STATIC_ROOT=$PROD_DIR/static
  export HUYING_LICENCE_KEY_DIR=$PROD_DIR/licence-keys
  export HUYING_TRUSTED_PROXIES=127.0.0.1
  export HUYING_HTTPS=${HUYING_HTTPS:-0}               # loopback over plain HTTP; 1 behind TLS
  export DJANGO_ALLOWED_HOSTS=${DJANGO_ALLOWED_HOSTS:-127.0.0.1,localhost}
  export HUYING_CSRF_TRUSTED_ORIGINS=${HUYING_CSRF_TRUSTED_ORIGINS:-http://127.0.0.1:$NGINX_PORT,http://localhost:$NGINX_PORT}
  export HUYING_WORKERS=$NODE_WORKERS HUYING_THREADS=$NODE_THREADS
  export PYTHONUNBUFFERED=1  # each process's lines reach its log as written
}
