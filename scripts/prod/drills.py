"""make test-drills: nothing acknowledged is lost when a part of the production profile dies.

A profile of its own (var/drill, ports 54363/54364, Redis 6391, nodes 8092/8093, nginx 8089), then:

(a) 1,000 appeal submissions through nginx (Open311, each with an Idempotency-Key, retried on any
    failure) while an app node, a task worker and the PostgreSQL primary are killed with SIGKILL and
    started again; every acknowledged appeal must be there exactly once and the counters must match
    the rows (a rebuild from the rows, rolled back, changes no cell).
(b) backup and restore: pg_dump/pg_restore of the running primary into a new database, and SQLite's
    online backup of a running one-machine database: the dashboard's figures are the same.
(c) the primary killed, the replica promoted, the app nodes pointed at it: 50 more submissions
    acknowledged, and everything acknowledged before is there.

Ends with ``RESULT acknowledged=… present=… duplicates=0 counter_drift=0`` and exits 1 on any loss.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
DRILL = {
    "HUYING_PROD_DIR": str(ROOT / "var" / "drill"),
    "PG_PRIMARY_PORT": "54363",
    "PG_REPLICA_PORT": "54364",
    "PG_PRIMARY_DIR": "/tmp/huying-drill-pg-54363",
    "PG_REPLICA_DIR": "/tmp/huying-drill-pg-54364",
    "REDIS_PORT": "6391",
    "NODE_PORTS": "8092 8093",
    "NGINX_PORT": "8089",
    "SWEEP_SECONDS": "30",
}
BASE = "http://127.0.0.1:8089"
RUN = time.strftime("%Y%m%d%H%M%S")
TOTAL = int(os.environ.get("DRILL_SUBMISSIONS", "1000"))
THREADS = 8
env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "HUYING_", "DJANGO_"))} | DRILL


def sh(command: str, extra: dict[str, str] | None = None, check: bool = True) -> str:
    """A command with the drill profile's environment (scripts/prod/env.sh)."""
    done = subprocess.run(
        ["bash", "-c", f". scripts/prod/env.sh && prod_env && {command}"],
        cwd=ROOT,
        env=env | (extra or {}),
        capture_output=True,
        text=True,
        timeout=900,
    )
    if check and done.returncode != 0:
        sys.exit(f"失败：{command}\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return done.stdout


def say(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)


def pid_of(name: str) -> int:
    return int((Path(DRILL["HUYING_PROD_DIR"]) / "run" / f"{name}.pid").read_text().strip())


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def kill9(pid: int, with_children: bool = False) -> None:
    for p in [*(children(pid) if with_children else []), pid]:
        with contextlib.suppress(ProcessLookupError):
            os.kill(p, signal.SIGKILL)


def primary_pid(data_dir: str) -> int:
    return int(Path(data_dir, "postmaster.pid").read_text().split()[0])


class Submitter:
    def __init__(self, key: str, code: str):
        self.key, self.code = key, code
        self.acknowledged: dict[str, str] = {}  # content -> service_request_id
        self.retries = 0
        self.lock = threading.Lock()
        self.done = 0

    def submit(self, content: str) -> None:
        idem = str(uuid.uuid4())
        data = {
            "api_key": self.key,
            "service_code": self.code,
            "address_string": "滨州市演练路1号",
            "description": content,
        }
        session = requests.Session()
        for attempt in range(120):
            try:
                r = session.post(
                    f"{BASE}/open311/v2/requests.json", data=data, headers={"Idempotency-Key": idem}, timeout=20
                )
                if r.status_code in (200, 201):
                    with self.lock:
                        self.acknowledged[content] = r.json()[0]["service_request_id"]
                        self.done += 1
                    return
                if r.status_code < 500 and r.status_code != 429:
                    raise SystemExit(f"拒绝：{r.status_code} {r.text[:200]}")
            except requests.RequestException:
                pass
            with self.lock:
                self.retries += 1
            time.sleep(min(0.2 * (attempt + 1), 2.0))
        with self.lock:
            self.done += 1  # given up: not acknowledged

    def run(self, contents: list[str]) -> None:
        queue = list(contents)
        lock = threading.Lock()

        def work() -> None:
            while True:
                with lock:
                    if not queue:
                        return
                    content = queue.pop(0)
                self.submit(content)

        threads = [threading.Thread(target=work) for _ in range(THREADS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()


def chaos(sub: Submitter) -> None:
    """At 20 %, 45 % and 70 % of the submissions: kill -9 an app node, a worker, the primary. Each is started
    again 3 s later in the background (one start at a time), so the next kill does not wait for it."""
    steps = [
        (0.20, "app node node-1", lambda: kill9(pid_of("node-1"), with_children=True)),
        (0.45, "task worker worker-1", lambda: kill9(pid_of("worker-1"))),
        (0.70, "PostgreSQL primary", lambda: kill9(primary_pid(DRILL["PG_PRIMARY_DIR"]))),
    ]
    starting = threading.Lock()

    def restart(what: str) -> None:
        time.sleep(3)
        with starting:
            for _ in range(10):  # the killed server's shared memory may take a moment to go
                done = subprocess.run(
                    ["bash", "scripts/prod/start.sh", "--fast"], cwd=ROOT, env=env, capture_output=True
                )
                if done.returncode == 0:
                    break
                time.sleep(2)
        say(f"restarted: {what}")

    restarts = []
    for share, what, action in steps:
        while sub.done < share * TOTAL:
            time.sleep(0.05)
        action()
        say(f"kill -9: {what} (after {sub.done} submissions)")
        restarts.append(threading.Thread(target=restart, args=(what,)))
        restarts[-1].start()
    for t in restarts:
        t.join()


def check(run: str, sub: Submitter, extra: dict[str, str] | None = None) -> tuple[int, int]:
    found = json.loads(sh(f"$BIN/python scripts/prod/drill_check.py present {run}", extra))
    present = sum(
        1 for c, n in sub.acknowledged.items() if found["counts"].get(c) == 1 and found["numbers"].get(c) == n
    )
    duplicates = sum(n - 1 for n in found["counts"].values() if n > 1)
    return present, duplicates


def backup_restore() -> bool:
    """(b) pg_dump of the running primary restored into a new database; SQLite's online backup."""
    port, dump = DRILL["PG_PRIMARY_PORT"], Path(DRILL["HUYING_PROD_DIR"]) / "huying.dump"
    sh(f"as_pg $PGBIN/pg_dump -h 127.0.0.1 -p {port} -U huying -Fc huying > {dump}")
    sh(
        f"as_pg $PGBIN/dropdb --if-exists -h 127.0.0.1 -p {port} -U huying huying_restored && "
        f"as_pg $PGBIN/createdb -h 127.0.0.1 -p {port} -U huying huying_restored && "
        f"as_pg $PGBIN/pg_restore -h 127.0.0.1 -p {port} -U huying -d huying_restored --no-owner < {dump}"
    )
    live = sh("$BIN/python scripts/prod/drill_check.py figures", {"DATABASE_REPLICA_URL": ""})
    restored = sh(
        "$BIN/python scripts/prod/drill_check.py figures",
        {"DATABASE_URL": f"postgres://huying@127.0.0.1:{port}/huying_restored", "DATABASE_REPLICA_URL": ""},
    )
    pg_same = live == restored
    say(f"(b) pg_dump/pg_restore: {dump.stat().st_size} bytes, dashboard figures unchanged: {pg_same}")
    return pg_same and sqlite_backup()


def sqlite_backup() -> bool:
    with tempfile.TemporaryDirectory() as tmp:
        one = {"HUYING_VAR_DIR": tmp, "DJANGO_SETTINGS_MODULE": "config.settings.dev"}
        base = {k: v for k, v in env.items() if k not in ("DATABASE_URL", "REDIS_URL")} | one
        py = str(ROOT / ".venv" / "bin" / "python")
        for args in (
            ["migrate", "--noinput", "-v0"],
            [
                "demo",
                "--appeals",
                "40",
                "--licences",
                "4",
                "--hall-days",
                "1",
                "--applications",
                "4",
                "--ratings-per-kind",
                "3",
                "-v0",
            ],
        ):
            subprocess.run([py, "manage.py", *args], cwd=ROOT, env=base, check=True, capture_output=True, timeout=900)
        source = Path(tmp) / "huying.sqlite3"
        running = sqlite3.connect(source)  # the running system holds it open (WAL) while the copy is made
        running.execute("BEGIN")
        running.execute("SELECT COUNT(*) FROM appeals_appeal").fetchone()
        copy = sqlite3.connect(Path(tmp) / "restored.sqlite3")
        sqlite3.connect(source).backup(copy)
        copy.close()
        running.rollback()
        check_py = [py, "scripts/prod/drill_check.py", "figures"]
        a = subprocess.run(
            check_py, cwd=ROOT, env=base | {"DATABASE_URL": f"sqlite:///{source}"}, capture_output=True, text=True
        )
        b = subprocess.run(
            check_py,
            cwd=ROOT,
            env=base | {"DATABASE_URL": f"sqlite:///{tmp}/restored.sqlite3"},
            capture_output=True,
            text=True,
        )
        same = a.returncode == 0 and a.stdout == b.stdout and '"received"' in a.stdout
        say(f"(b) SQLite online backup restored, dashboard figures unchanged: {same}")
        return same


def promote(sub: Submitter) -> tuple[dict[str, str], bool]:
    """(c) kill -9 the primary, promote the replica, point the nodes at it, submit 50 more."""
    sh("sleep 2")  # the replica has replayed what the primary acknowledged (nothing is being written now)
    kill9(primary_pid(DRILL["PG_PRIMARY_DIR"]))
    say("(c) kill -9: PostgreSQL primary; promoting the replica")
    sh("as_pg $PGBIN/pg_ctl -D $PG_REPLICA_DIR -w promote")
    subprocess.run(["bash", "scripts/prod/stop.sh", "--apps"], cwd=ROOT, env=env, check=True, capture_output=True)
    moved = {
        "PG_PRIMARY_PORT": DRILL["PG_REPLICA_PORT"],
        "PG_PRIMARY_DIR": DRILL["PG_REPLICA_DIR"],
        "PG_REPLICA_PORT": "54365",
        "PG_REPLICA_DIR": "/tmp/huying-drill-pg-54365",
    }
    env.update(moved)
    subprocess.run(["bash", "scripts/prod/start.sh", "--fast"], cwd=ROOT, env=env, check=True, capture_output=True)
    say("(c) app nodes on the promoted primary :54364, a new replica :54365")
    before = len(sub.acknowledged)
    sub.run([f"演练 {RUN} #p{i}" for i in range(50)])
    return moved, len(sub.acknowledged) == before + 50


def main() -> None:
    subprocess.run(["bash", "scripts/prod/stop.sh", "--purge"], cwd=ROOT, env=env, capture_output=True)
    subprocess.run(["rm", "-rf", "/tmp/huying-drill-pg-54365"], check=False)
    say("starting the drill profile (no demo data)")
    subprocess.run(["bash", "scripts/prod/start.sh", "--no-demo"], cwd=ROOT, env=env, check=True)
    sh(
        '$BIN/python manage.py shell -c "from huying.appeals.models import Category; '
        "Category.objects.get_or_create(code='D01', defaults={'name': '演练事项'})\""
    )
    key = sh("$BIN/python manage.py open311_clients create 演练客户端").strip()
    sub = Submitter(key, "D01")
    say(f"(a) {TOTAL} submissions, {THREADS} at a time, through nginx :8089")
    started = time.monotonic()
    killer = threading.Thread(target=chaos, args=(sub,))
    killer.start()
    sub.run([f"演练 {RUN} #{i}" for i in range(TOTAL)])
    killer.join()
    say(f"(a) done in {time.monotonic() - started:.0f} s: acknowledged {len(sub.acknowledged)}, retries {sub.retries}")
    present, duplicates = check(RUN, sub)
    say(f"(a) present exactly once: {present}, duplicates: {duplicates}")
    restored = backup_restore()
    moved, promoted = promote(sub)
    present, duplicates = check(RUN, sub)
    drift = json.loads(sh("$BIN/python scripts/prod/drill_check.py drift", {"DATABASE_REPLICA_URL": ""}))
    say(f"(c) after promotion: present {present}, duplicates {duplicates}; counters {drift}")
    subprocess.run(["bash", "scripts/prod/stop.sh", "--purge"], cwd=ROOT, env=env, capture_output=True)
    subprocess.run(
        ["bash", "scripts/prod/stop.sh", "--purge"],
        cwd=ROOT,
        env=env | {k: DRILL[k] for k in moved},
        capture_output=True,
    )
    print(
        f"RESULT acknowledged={len(sub.acknowledged)} present={present} duplicates={duplicates} "
        f"counter_drift={drift['drift']} restore_ok={int(restored)} promotion_ok={int(promoted)}"
    )
    ok = (
        present == len(sub.acknowledged) == TOTAL + 50
        and duplicates == 0
        and drift["drift"] == 0
        and restored
        and promoted
    )
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
