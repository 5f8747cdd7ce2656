"""make bench-load: the same request mix (bench/locustfile.py) against the production profile and the
one-machine default, with Locust headless for a fixed time.

1. The production profile (scripts/prod/start.sh: two gunicorn nodes behind nginx on :8088, PostgreSQL
   with a replica, Redis, workers); started here when it is not running, with its demo data.
2. The one-machine default: gunicorn as config/gunicorn.conf.py sets it for SQLite, on a fresh SQLite
   file with the same demo data, on :8087 (no nginx, no Redis, the database cache).

Prints requests per second, p50 and p99 per kind and errors for each, then
``RESULT rps=<profile> p99_ms=<profile> errors=<profile> ratio_to_default=<profile rps / default rps>``.
LOAD_USERS (24) simulated users, LOAD_SECONDS (60) per run.
"""

from __future__ import annotations

import base64
import csv
import os
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
USERS = int(os.environ.get("LOAD_USERS", "24"))
SECONDS = int(os.environ.get("LOAD_SECONDS", "60"))
OUT = ROOT / "var" / "load"


def up(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:  # nosec B310: a loopback address we built
            return bool(r.status == 200)
    except OSError:
        return False


def wait(url: str, seconds: int = 120) -> None:
    for _ in range(seconds * 2):
        if up(url):
            return
        time.sleep(0.5)
    sys.exit(f"{url} 未就绪")


def prod(command: str) -> str:
    return subprocess.run(
        ["bash", "-c", f". scripts/prod/env.sh && prod_env && {command}"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


SETUP = (
    "from huying.appeals.models import Category; "
    "print(Category.objects.filter(is_active=True, children__isnull=True).order_by('code').values_list('code', flat=True).first())"
)


def locust(host: str, name: str, key: str, code: str) -> dict[str, dict[str, str]]:
    OUT.mkdir(parents=True, exist_ok=True)
    env = os.environ | {"LOAD_OPEN311_KEY": key, "LOAD_OPEN311_CODE": code}
    subprocess.run(
        [
            str(BIN / "locust"),
            "-f",
            "bench/locustfile.py",
            "--headless",
            "-u",
            str(USERS),
            "-r",
            str(max(USERS // 2, 1)),
            "-t",
            f"{SECONDS}s",
            "--host",
            host,
            "--csv",
            str(OUT / name),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    with open(OUT / f"{name}_stats.csv", encoding="utf-8") as f:
        return {row["Name"]: row for row in csv.DictReader(f)}


def show(title: str, stats: dict[str, dict[str, str]]) -> None:
    print(f"== {title}")
    print(f"   {'kind':<18}{'requests':>9}{'errors':>8}{'rps':>8}{'p50 ms':>8}{'p99 ms':>8}")
    for name, row in sorted(stats.items(), key=lambda kv: kv[0] == "Aggregated"):
        print(
            f"   {name:<18}{row['Request Count']:>9}{row['Failure Count']:>8}{float(row['Requests/s']):>8.1f}"
            f"{row['50%']:>8}{row['99%']:>8}"
        )


def default_server(tmp: str) -> tuple[subprocess.Popen[bytes], str, str]:
    """The one-machine default on a fresh SQLite file with the demo data; its Open311 key and a service code."""
    raw = secrets.token_bytes(32)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "REDIS_", "HUYING_", "DJANGO_"))} | {
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "HUYING_VAR_DIR": tmp,
        "HUYING_HTTPS": "0",
        "HUYING_BIND": "127.0.0.1:8087",
        "HUYING_LICENCE_SIGNING_KEYS": "kload:" + base64.urlsafe_b64encode(raw).decode().rstrip("="),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    py = str(BIN / "python")
    steps = (
        ["migrate", "--noinput", "-v0"],
        ["createcachetable"],
        ["collectstatic", "--noinput", "-v0"],
        ["demo", "--if-empty"],
    )
    for args in steps:
        subprocess.run([py, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True)
    key = subprocess.run(
        [py, "manage.py", "open311_clients", "create", "压测"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    code = (
        subprocess.run(
            [py, "manage.py", "shell", "-c", SETUP], cwd=ROOT, env=env, check=True, capture_output=True, text=True
        )
        .stdout.strip()
        .splitlines()[-1]
    )  # after the shell's own notice
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", "config/gunicorn.conf.py", "config.wsgi:application"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait("http://127.0.0.1:8087/healthz")
    return server, key, code


def main() -> None:
    started_here = not up("http://127.0.0.1:8088/readyz")
    if started_here:
        print("== starting the production profile (make run-prod)", flush=True)
        subprocess.run(["bash", "scripts/prod/start.sh"], cwd=ROOT, check=True)
    key = prod(f"$BIN/python manage.py open311_clients create 压测-{int(time.time())}")
    code = prod(f'$BIN/python manage.py shell -c "{SETUP}"').splitlines()[-1]  # after the shell's own notice
    print(f"== {USERS} users, {SECONDS} s per run, mix: bench/locustfile.py", flush=True)
    profile = locust("http://127.0.0.1:8088", "prod", key, code)
    show("production profile: nginx :8088 → 2 gunicorn nodes, PostgreSQL + replica, Redis", profile)
    if started_here:
        subprocess.run(["bash", "scripts/prod/stop.sh"], cwd=ROOT, check=False, capture_output=True)
    with tempfile.TemporaryDirectory() as tmp:
        server, key, code = default_server(tmp)
        try:
            default = locust("http://127.0.0.1:8087", "default", key, code)
        finally:
            server.terminate()
            server.wait(timeout=30)
    show("one-machine default: gunicorn :8087 on SQLite", default)
    agg, base = profile["Aggregated"], default["Aggregated"]
    rps, base_rps = float(agg["Requests/s"]), float(base["Requests/s"])
    print(
        f"RESULT rps={rps:.1f} p99_ms={agg['99%']} errors={agg['Failure Count']} "
        f"ratio_to_default={rps / base_rps if base_rps else 0:.2f}"
    )


if __name__ == "__main__":
    main()
