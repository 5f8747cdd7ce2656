#!/usr/bin/env bash
# make test-fuzz: schemathesis against a live server over the committed docs/openapi.yaml, as anonymous,
# a citizen, a unit handler and an operator. Goal: no server error and no answer the document does not
# declare (status code, content type, body). The server is gunicorn on a free loopback port with a fresh
# SQLite database in a temporary folder (migrate + a small demo); the folder goes away at the end.
#
# FUZZ_BASE_URL=http://127.0.0.1:8088 fuzzes a running server instead (the production profile, make run-prod,
# with its demo accounts): no database or server is made here, and its logs stay where it writes them.
#
# Bounded: FUZZ_MAX_EXAMPLES (20) test cases per operation and phase, FUZZ_ROLE_SECONDS (300) of wall time
# per role. Reports (NDJSON) stay in var/fuzz/; the last line is the RESULT with the run's size.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=$(cd "${BIN:-.venv/bin}" && pwd)
MAX_EXAMPLES=${FUZZ_MAX_EXAMPLES:-20}
ROLE_SECONDS=${FUZZ_ROLE_SECONDS:-300}
SEED=${FUZZ_SEED:-20261207}
REPORTS=var/fuzz
WORK=$(mktemp -d "${TMPDIR:-/tmp}/huying-fuzz.XXXXXX")
SERVER_PID=""
cleanup() {
  if [[ -n "$SERVER_PID" ]]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
mkdir -p "$REPORTS" && rm -f "$REPORTS"/*.ndjson

# Production-like answers (DEBUG off: problem+json and plain error pages), server errors logged with their
# traceback, and the public forms' rate limits raised so that the fuzzer reaches past them (a 429 is a
# declared answer either way; tests/ pin the limits themselves).
cat > "$WORK/fuzz_settings.py" <<'PY'
from config.settings.base import *  # noqa: F403

DEBUG = False
LOGGING["loggers"]["django.request"] = {"handlers": ["console"], "level": "ERROR"}  # noqa: F405
HUYING_RATE_LIMITS = {
    scope: {key: ["100000/m"] for key in keys}
    for scope, keys in {
        "appeal_submit": ("address", "phone"),
        "track_send": ("address", "phone"),
        "track_verify": ("address",),
        "ticket_take": ("address", "phone"),
    }.items()
}
PY
export PYTHONPATH="$WORK${PYTHONPATH:+:$PYTHONPATH}" DJANGO_SETTINGS_MODULE=fuzz_settings HUYING_VAR_DIR="$WORK/var"
unset DATABASE_URL

if [[ -n "${FUZZ_BASE_URL:-}" ]]; then
  BASE=$FUZZ_BASE_URL
  : >"$REPORTS/server.log"
else
echo "== database: migrate and a small demo (users, appeals, a hall, applications, licences, ratings)"
started=$SECONDS
$BIN/python manage.py migrate --noinput -v0
$BIN/python manage.py createcachetable
$BIN/python manage.py demo --appeals 60 --licences 10 --hall-days 1 --applications 20 --ratings-per-kind 5 -v0 >"$WORK/demo.log" 2>&1 \
  || { tail -20 "$WORK/demo.log"; exit 1; }
echo "   ready in $((SECONDS - started)) s"

PORT=$($BIN/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
$BIN/gunicorn config.wsgi:application --bind "127.0.0.1:$PORT" --workers 1 --threads 2 --timeout 60 \
  >"$REPORTS/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 60); do
  curl -s -o /dev/null "$BASE/api/v1/categories/" && break
  sleep 0.5
done
fi

token() {
  curl -sf -X POST -H 'Content-Type: application/json' -d "{\"username\": \"$1\", \"password\": \"huying2026\"}" \
    "$BASE/api/v1/auth/token/" | $BIN/python -c 'import json, sys; print(json.load(sys.stdin)["token"])'
}
declare -A ROLES=([anonymous]="" [citizen]="$(token citizen)" [unit]="$(token chengguan)" [operator]="$(token operator)")

OPERATIONS=$($BIN/python -c '
import yaml
paths = yaml.safe_load(open("docs/openapi.yaml"))["paths"]
print(sum(1 for item in paths.values() for m in item if m in ("get", "post", "put", "patch", "delete")))')
echo "== size: $OPERATIONS operations x 4 roles, up to $MAX_EXAMPLES generated cases per operation and phase" \
  "(phases examples, coverage, fuzzing), at most $ROLE_SECONDS s per role, seed $SEED"

for role in anonymous citizen unit operator; do
  auth=()
  [[ -n "${ROLES[$role]}" ]] && auth=(-H "Authorization: Token ${ROLES[$role]}")
  echo "== $role"
  started=$SECONDS
  # Run from the temporary folder: schemathesis keeps its example database in ./.schemathesis.
  (cd "$WORK" && timeout "$ROLE_SECONDS" "$BIN/schemathesis" run "$ROOT/docs/openapi.yaml" --url "$BASE" "${auth[@]}" \
    --checks not_a_server_error,status_code_conformance,response_schema_conformance,content_type_conformance \
    --phases examples,coverage,fuzzing --max-examples "$MAX_EXAMPLES" --workers 1 --seed "$SEED" \
    --request-timeout 30 --suppress-health-check all --warnings off --no-color \
    --report ndjson --report-ndjson-path "$ROOT/$REPORTS/$role.ndjson") >"$REPORTS/$role.log" 2>&1 || true
  grep -E "^(Failures|  ❌|  [0-9]+ generated)" "$REPORTS/$role.log" | sed 's/^/   /' || true
  echo "   $((SECONDS - started)) s"
done

if grep -q Traceback "$REPORTS/server.log"; then
  echo "== server errors logged (see $REPORTS/server.log):"
  grep -B2 -A0 -E "^[A-Za-z.]+(Error|Exception|Operation)[:\[]" "$REPORTS/server.log" | head -20 || true
fi
$BIN/python scripts/fuzz_summary.py "$REPORTS"/{anonymous,citizen,unit,operator}.ndjson
