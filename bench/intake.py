"""Intake throughput over real HTTP, a plain INSERT baseline, and the dashboard at 1,000,000 appeals.

``make bench-intake`` (or ``.venv/bin/python bench/intake.py``). Prints figures, asserts nothing.
For each database (SQLite in a temp file, then PostgreSQL from scripts/pg-test-server.sh in a
database of its own) a child process:

1. migrates a fresh database, creates units, categories and an operator with a DRF token;
2. serves the app with gunicorn (gthread workers, production settings, DEBUG off) and runs
   16 keep-alive clients POSTing /api/v1/appeals/ for ~20 s after a warm-up;
3. inserts the same kind of row with one INSERT + COMMIT each into a copy of the appeals table;
4. bulk-loads 1,000,000 appeals, rebuilds the monthly counters with SQL GROUP BY (checked against
   stats_rebuild on a sample) and times the dashboard provider against SELECT COUNT(*).

The last line is ``RESULT appeals_per_s=… pg_appeals_per_s=… p99_ms=… dashboard_ratio=…``
(SQLite intake and p99; dashboard_ratio is the larger of the two databases' ratios for a dashboard
asked for again after a change was committed, the case a busy hotline's dashboard is always in).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import runpy
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

BIN = Path(sys.executable).parent
PG_BENCH_DB = "huying_bench"


def log(*parts: Any) -> None:
    print(*parts, flush=True)


# --- the parent: one child per database, then the summary -----------------------------------


def pg_url() -> str:
    out = subprocess.run(
        ["bash", "-c", "source scripts/pg-test-server.sh >/dev/null && echo $DATABASE_URL"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    base = out.stdout.strip().splitlines()[-1]
    import psycopg

    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_BENCH_DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {PG_BENCH_DB}")
    return re.sub(r"/[^/]*$", f"/{PG_BENCH_DB}", base)


def drop_pg(url: str) -> None:
    import psycopg

    with psycopg.connect(re.sub(r"/[^/]*$", "/postgres", url), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_BENCH_DB} WITH (FORCE)")


def run_child(name: str, url: str, args: argparse.Namespace, script: Path | None = None) -> dict[str, Any]:
    """Run ``script`` (this bench by default) again as ``--child name`` on the database at ``url``,
    in its own process and scratch folder; return the dict it prints on its CHILD_RESULT line."""
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "PYTHONPATH": str(ROOT),
        "HUYING_VAR_DIR": tempfile.mkdtemp(prefix="huying-bench-var-"),
    }
    Path(env["HUYING_VAR_DIR"], "staticfiles").mkdir()  # WhiteNoise warns when STATIC_ROOT is missing
    command = [sys.executable, str((script or Path(__file__)).resolve()), "--child", name, *sys.argv[1:]]
    log(f"\n=== {name} ===")
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    result: dict[str, Any] = {}
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("CHILD_RESULT "):
            result = json.loads(line[len("CHILD_RESULT ") :])
        else:
            print(line, end="", flush=True)
    proc.wait()
    shutil.rmtree(env["HUYING_VAR_DIR"], ignore_errors=True)
    if proc.returncode != 0:
        log(f"{name}: child exited with {proc.returncode}")
    return result


def parent(args: argparse.Namespace) -> None:
    started = time.perf_counter()
    results: dict[str, dict[str, Any]] = {}
    tmp = Path(tempfile.mkdtemp(prefix="huying-bench-"))
    try:
        results["sqlite"] = run_child("sqlite", f"sqlite:///{tmp / 'bench.sqlite3'}", args)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if not args.skip_pg:
        try:
            url = pg_url()
        except Exception as exc:  # no server, no psycopg, cannot create the database: bench SQLite only
            log(f"\n=== postgresql ===\nskipped: no PostgreSQL server ({exc})")
        else:
            try:
                results["postgresql"] = run_child("postgresql", url, args)
            finally:
                drop_pg(url)

    log("\n=== summary ===")
    for name, r in results.items():
        if not r:
            log(f"{name}: no result")
            continue
        log(
            f"{name:10s} intake {r['appeals_per_s']:.1f} appeals/s  p50 {r['p50_ms']:.1f} ms  p99 {r['p99_ms']:.1f} ms"
            f"  errors {r['errors']}  | plain INSERT+COMMIT {r['insert_per_s']:.1f} rows/s"
            f"  ratio {r['intake_vs_insert']:.3f}"
        )
        if "dashboard_ratio" in r:
            log(
                f"{name:10s} dashboard @ {r['appeals_total']:,} appeals: {r['dashboard_ms']:.2f} ms unchanged,"
                f" {r['dashboard_changed_ms']:.2f} ms after a change, {r['dashboard_cold_ms']:.2f} ms cold,"
                f" {r['dashboard_sql_ms']:.2f} ms grouped query  COUNT(*) {r['count_ms']:.2f} ms"
                f"  ratio {r['dashboard_ratio']:.3f} unchanged, {r['dashboard_changed_ratio']:.3f} after a change"
            )
    log(f"total bench time {time.perf_counter() - started:.0f} s")
    sqlite, pg = results.get("sqlite") or {}, results.get("postgresql") or {}
    ratios = [r["dashboard_changed_ratio"] for r in (sqlite, pg) if "dashboard_changed_ratio" in r]

    def fmt(value: Any, spec: str) -> str:
        return format(value, spec) if value is not None else "nan"

    log(
        f"RESULT appeals_per_s={fmt(sqlite.get('appeals_per_s'), '.1f')}"
        f" pg_appeals_per_s={fmt(pg.get('appeals_per_s'), '.1f')}"
        f" p99_ms={fmt(sqlite.get('p99_ms'), '.1f')}"
        f" dashboard_ratio={fmt(max(ratios) if ratios else None, '.4f')}"
    )


# --- the child: everything against one database ---------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def seed(units: int, categories: int) -> dict[str, Any]:
    """A city with a hotline centre, handling units, a 派单目录 and an integration user with a token."""
    from huying.accounts.models import RoleAssignment, User
    from huying.accounts.roles import Role
    from huying.accounts.tokens import token_issue
    from huying.appeals.models import Category
    from huying.organisations.models import OrgUnit
    from huying.organisations.services import org_unit_create

    city = org_unit_create(name="滨州市人民政府", kind=OrgUnit.Kind.GOVERNMENT)
    hotline = org_unit_create(name="滨州市12345政务服务便民热线中心", kind=OrgUnit.Kind.HOTLINE_CENTRE, parent=city)
    unit_ids = []
    for i in range(units):
        kind = OrgUnit.Kind.DEPARTMENT if i % 2 == 0 else OrgUnit.Kind.TOWNSHIP
        name = f"滨州市第{i + 1}职能部门" if kind == OrgUnit.Kind.DEPARTMENT else f"第{i + 1}街道办事处"
        unit_ids.append(org_unit_create(name=name, kind=kind, parent=city).pk)
    parents = max(1, categories // 16)
    category_ids = []
    for p in range(parents):
        parent_cat = Category.objects.create(code=f"{p + 1:02d}", name=f"事项大类{p + 1}")
        leaves = [
            Category(
                code=f"{p + 1:02d}{j + 1:02d}",
                name=f"事项{p + 1}-{j + 1}",
                parent=parent_cat,
                unit_id=unit_ids[(p * 16 + j) % len(unit_ids)],
            )
            for j in range(16)
        ]
        category_ids += [c.pk for c in Category.objects.bulk_create(leaves)]
    user = User.objects.create_user(username="intake-bot", password=None, display_name="接口对接")
    RoleAssignment.objects.create(user=user, role=Role.OPERATOR, org_unit=hotline)
    _token, key = token_issue(user=user)
    return {"token": key, "user_id": user.pk, "unit_ids": unit_ids, "category_ids": category_ids}


def start_server(port: int, workers: int, threads: int) -> subprocess.Popen[bytes]:
    command = [
        str(BIN / "gunicorn"),
        "config.wsgi:application",
        "--config",
        str(ROOT / "config" / "gunicorn.conf.py"),  # the deployment's settings …
        "--bind",  # … with this run's address and worker and thread counts
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
    ]
    proc = subprocess.Popen(command, cwd=ROOT, env=os.environ.copy())
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/api/v1/")
            conn.getresponse().read()
            conn.close()
            return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("gunicorn did not start")


class Client(threading.Thread):
    """One keep-alive connection posting appeals until ``stop_at``; records (finished_at, ms, ok)."""

    def __init__(self, index: int, port: int, token: str, category_ids: list[int], stop_at: float):
        super().__init__(daemon=True)
        from bench.content import AppealText

        self.index, self.port, self.stop_at = index, port, stop_at
        self.headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
        self.text = AppealText(seed=1000 + index)
        self.category_ids = category_ids
        self.samples: list[tuple[float, float, bool]] = []
        self.failures: list[str] = []

    def body(self, seq: int) -> bytes:
        title, content, appeal_type, name = self.text.next()
        payload = {
            "channel": "hotline",
            "appeal_type": appeal_type,
            "title": title,
            "content": content,
            "requester_name": name,
            # Distinct per client and request, so no call is merged as a repeat.
            "requester_phone": f"1{3 + self.index % 7}{self.index:02d}{seq:07d}",
            "category": self.category_ids[(self.index * 7919 + seq) % len(self.category_ids)],
            "address": "滨州市滨城区",
        }
        return json.dumps(payload, ensure_ascii=False).encode()

    def run(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        seq = 0
        while time.perf_counter() < self.stop_at:
            seq += 1
            body = self.body(seq)
            started = time.perf_counter()
            try:
                conn.request("POST", "/api/v1/appeals/", body=body, headers=self.headers)
                response = conn.getresponse()
                data = response.read()
                ok = response.status == 201
                if not ok and len(self.failures) < 3:
                    self.failures.append(f"{response.status} {data[:300].decode(errors='replace')}")
            except (OSError, http.client.HTTPException) as exc:
                ok = False
                if len(self.failures) < 3:
                    self.failures.append(repr(exc))
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            finished = time.perf_counter()
            self.samples.append((finished, (finished - started) * 1000, ok))
        conn.close()


def process_tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by ``pid`` and its children (Linux /proc; 0 elsewhere)."""
    total, todo = 0.0, [pid]
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    while todo:
        current = todo.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, IndexError, ValueError):
            continue
    return total


def _own_cpu() -> float:
    """CPU seconds (user + system) of this process: the load generator's own cost."""
    times = os.times()
    return times.user + times.system


def load(
    port: int,
    token: str,
    category_ids: list[int],
    clients: int,
    warmup: float,
    duration: float,
    server_pid: int,
    profile: bool = False,
) -> dict[str, Any]:
    t0 = time.perf_counter()
    window = (t0 + warmup, t0 + warmup + duration)
    threads = [Client(i, port, token, category_ids, window[1]) for i in range(clients)]
    for t in threads:
        t.start()
    spy = None
    time.sleep(max(0.0, window[0] - time.perf_counter()))
    cpu_start, client_start = process_tree_cpu(server_pid), _own_cpu()
    if profile:
        spy = start_profiler(server_pid, duration)
    time.sleep(max(0.0, window[1] - time.perf_counter()))
    server_cpu, client_cpu = process_tree_cpu(server_pid) - cpu_start, _own_cpu() - client_start
    for t in threads:
        t.join()
    if spy is not None:
        report_profile(spy)
    samples = [s for t in threads for s in t.samples if window[0] <= s[0] <= window[1]]
    latencies = sorted(ms for _, ms, _ in samples)
    errors = sum(1 for t in threads for _, _, ok in t.samples if not ok)
    for t in threads:
        for failure in t.failures:
            log(f"  error: {failure}")
    n = len(latencies)
    accepted = sum(1 for _, _, ok in samples if ok)
    return {
        "server_cpu_ms": 1000 * server_cpu / accepted if accepted else float("nan"),
        "client_cpu_ms": 1000 * client_cpu / n if n else float("nan"),
        "requests": n,
        "appeals_per_s": accepted / duration,
        "p50_ms": latencies[n // 2] if n else float("nan"),
        "p99_ms": latencies[max(0, int(n * 0.99) - 1)] if n else float("nan"),
        "errors": errors,
        "total_requests": sum(len(t.samples) for t in threads),
    }


def start_profiler(pid: int, duration: float) -> tuple[subprocess.Popen[bytes], Path] | None:
    """py-spy (if installed: PATH or $PY_SPY) sampling every gunicorn worker during the measured window."""
    exe = os.environ.get("PY_SPY") or shutil.which("py-spy")
    if not exe:
        log("profile: py-spy not found (pip install py-spy, or set PY_SPY)")
        return None
    out = Path(tempfile.mkdtemp(prefix="huying-bench-prof-")) / "stacks.txt"
    command = [exe, "record", "--pid", str(pid), "--subprocesses", "--format", "raw", "--rate", "200"]
    command += ["--duration", str(max(1, int(duration) - 1)), "--output", str(out), "--nonblocking"]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL), out


def report_profile(spy: tuple[subprocess.Popen[bytes], Path]) -> None:
    """Inclusive share of samples per function: where a request spends its time."""
    proc, path = spy
    proc.wait(timeout=120)
    if not path.exists():
        log("profile: py-spy wrote nothing (ptrace not permitted?)")
        return
    inclusive: dict[str, int] = {}
    total = 0
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        n = int(count)
        total += n
        frames = {re.sub(r":\d+\)$", ")", f) for f in stack.split(";")}
        for frame in frames:
            inclusive[frame] = inclusive.get(frame, 0) + n
    interesting = [
        (n, f)
        for f, n in inclusive.items()
        if ("huying/" in f or "rest_framework/" in f or "django/db/" in f or "sqlite3" in f or "psycopg" in f)
    ]
    log(f"profile: {total} samples in the workers (idle waits included); inclusive share of the top frames:")
    for n, frame in sorted(interesting, reverse=True)[:30]:
        log(f"  {100 * n / total:5.1f}%  {frame}")
    log(f"profile: raw stacks in {path}")


def baseline_inserts(seconds: float, user_id: int, category_ids: list[int]) -> dict[str, Any]:
    """One INSERT + COMMIT per row of the same shape into a copy of appeals_appeal (same indexes)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from bench.bulk import appeal_columns
    from bench.content import AppealText

    table = "bench_baseline"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"CREATE TABLE {table} (LIKE appeals_appeal INCLUDING ALL)")
        else:
            cursor.execute("SELECT type, sql FROM sqlite_master WHERE tbl_name = 'appeals_appeal' AND sql IS NOT NULL")
            for kind, sql in sorted(cursor.fetchall(), key=lambda r: r[0] != "table"):
                sql = sql.replace('"appeals_appeal"', f'"{table}"')
                if kind == "index":
                    sql = re.sub(r'INDEX "([^"]+)"', rf'INDEX "{table}_\1"', sql)
                cursor.execute(sql)
    columns = appeal_columns()
    text = AppealText(seed=99)
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
    defaults = dict.fromkeys(columns)
    defaults.update(is_anonymous=False, is_confidential=False, version=1, is_overdue=False, supervise_level=0)
    defaults.update(rehandle_count=0, repeat_count=0, requester_id_number="", reply_text="", refer_target="")
    defaults.update(resolution="", satisfaction="", time_limit_unit="", urgency="general", channel="hotline")
    n = 0
    started = time.perf_counter()
    deadline = started + seconds
    with connection.cursor() as cursor:
        while time.perf_counter() < deadline:
            n += 1
            title, content, appeal_type, name = text.next()
            now = timezone.now()
            row = {
                **defaults,
                "number": f"{now:%Y%m%d}{n:07d}",
                "appeal_type": appeal_type,
                "title": title,
                "content": content,
                "requester_name": name,
                "requester_phone": f"17{n:09d}",
                "address": "滨州市滨城区",
                "category_id": category_ids[n % len(category_ids)],
                "created_by_id": user_id,
                "status": "submitted",
                "submitted_at": now,
            }
            with transaction.atomic():
                cursor.execute(sql, [row[c] for c in columns])
    elapsed = time.perf_counter() - started
    return {"insert_rows": n, "insert_per_s": n / elapsed}


def child(name: str, args: argparse.Namespace) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench import bulk

    result: dict[str, Any] = {"database": name}
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    world = seed(args.units, args.categories)
    log(
        f"migrated and seeded in {time.perf_counter() - started:.1f} s ({connection.vendor}, {len(world['unit_ids'])} units, {len(world['category_ids'])} categories)"
    )
    connection.close()

    port = free_port()
    conf = runpy.run_path(str(ROOT / "config" / "gunicorn.conf.py"))
    workers, threads = args.workers or conf["workers"], args.threads or conf["threads"]
    result.update(workers=workers, threads=threads)
    server = start_server(port, workers, threads)
    try:
        log(
            f"gunicorn gthread {workers}×{threads}; {args.clients} clients, {args.warmup:.0f} s warm-up + {args.duration:.0f} s"
        )
        figures = load(
            port,
            world["token"],
            world["category_ids"],
            args.clients,
            args.warmup,
            args.duration,
            server_pid=server.pid,
            profile=args.profile,
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    result.update(figures)
    log(
        f"intake: {figures['appeals_per_s']:.1f} appeals/s, p50 {figures['p50_ms']:.1f} ms, p99 {figures['p99_ms']:.1f} ms,"
        f" errors {figures['errors']} (of {figures['total_requests']} requests incl. warm-up);"
        f" server CPU {figures['server_cpu_ms']:.1f} ms per appeal,"
        f" client CPU {figures['client_cpu_ms']:.1f} ms per request"
    )
    from django.db.models import Max

    from huying.appeals.models import Appeal

    created = Appeal.objects.count()
    last_id = Appeal.objects.aggregate(m=Max("id"))["m"] or 0
    same = bulk.stored_counters() == bulk.recount()
    log(f"appeals stored: {created}; monthly counters kept by the services equal a SQL recount: {same}")
    from huying.dispatch.models import AppealFingerprint, FingerprintPending

    indexed = AppealFingerprint.objects.values("appeal_id").distinct().count()
    log(
        f"near-duplicate index: {indexed} appeals indexed in batches while the load ran,"
        f" {FingerprintPending.objects.count()} still queued (the next flush or sweep takes them)"
    )
    result["counters_match_after_load"] = same

    figures = baseline_inserts(args.baseline_seconds, world["user_id"], world["category_ids"])
    figures["intake_vs_insert"] = result["appeals_per_s"] / figures["insert_per_s"]
    result.update(figures)
    log(
        f"baseline: {figures['insert_per_s']:.1f} rows/s plain INSERT+COMMIT ({figures['insert_rows']} rows);"
        f" intake/insert ratio {figures['intake_vs_insert']:.3f}"
    )

    if args.rows and not (name == "postgresql" and args.skip_pg_dashboard):
        t = time.perf_counter()
        inserted = bulk.bulk_insert(
            bulk.generate_rows(
                args.rows, unit_ids=world["unit_ids"], category_ids=world["category_ids"], operator_id=world["user_id"]
            )
        )
        log(f"bulk-loaded {inserted:,} appeals in {time.perf_counter() - t:.1f} s")
        t = time.perf_counter()
        bulk.analyze()
        log(f"ANALYZE in {time.perf_counter() - t:.1f} s")
        sample_max = last_id + args.sample
        t = time.perf_counter()
        same, rows = bulk.check_against_stats_rebuild(sample_max)
        log(
            f"SQL GROUP BY counters equal stats_rebuild on appeals id ≤ {sample_max:,} ({rows} counter rows): {same} ({time.perf_counter() - t:.1f} s)"
        )
        result["sql_counters_match_stats_rebuild"] = same
        t = time.perf_counter()
        stat_rows = bulk.counters_rebuild_sql()
        log(f"monthly counters rebuilt by SQL GROUP BY: {stat_rows:,} rows in {time.perf_counter() - t:.1f} s")
        bulk.analyze()
        timing = bulk.dashboard_timing()
        result.update(timing, appeals_total=Appeal.objects.count(), stat_rows=stat_rows)
        log(
            f"dashboard (5 dimensions, 12 months), best of 7: {timing['dashboard_ms']:.2f} ms unchanged since the"
            f" last call, {timing['dashboard_changed_ms']:.2f} ms after a change, {timing['dashboard_cold_ms']:.2f} ms"
            f" a new process's first call, {timing['dashboard_sql_ms']:.2f} ms as one grouped query; SELECT COUNT(*)"
            f" {timing['count_ms']:.2f} ms; dashboard_ratio {timing['dashboard_ratio']:.4f} unchanged,"
            f" {timing['dashboard_changed_ratio']:.4f} after a change"
        )
    connection.close()
    print("CHILD_RESULT " + json.dumps(result), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--duration", type=float, default=20.0, help="measured seconds of intake per database")
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument(
        "--workers", type=int, default=0, help="gunicorn worker processes (default: config/gunicorn.conf.py)"
    )
    parser.add_argument(
        "--threads", type=int, default=0, help="threads per gunicorn worker (default: config/gunicorn.conf.py)"
    )
    parser.add_argument("--baseline-seconds", type=float, default=5.0)
    parser.add_argument("--rows", type=int, default=1_000_000, help="appeals bulk-loaded for the dashboard timing")
    parser.add_argument("--sample", type=int, default=20_000, help="bulk rows checked against stats_rebuild")
    parser.add_argument("--units", type=int, default=120)
    parser.add_argument("--categories", type=int, default=400)
    parser.add_argument("--skip-pg", action="store_true")
    parser.add_argument("--profile", action="store_true", help="sample the workers with py-spy during the load")
    parser.add_argument(
        "--skip-pg-dashboard", action="store_true", help="bulk-load and time the dashboard on SQLite only"
    )
    args = parser.parse_args()
    if args.child:
        child(args.child, args)
    else:
        parent(args)


if __name__ == "__main__":
    main()
