"""The first views after a start: what a supervisor waits for when opening 热点问题 and the 数据看板 on
a server that has just started (``make run`` on the demo city), then the same pages again.

``.venv/bin/python bench/first_views.py``: needs the demo database (``make demo``); starts
``manage.py runserver`` on a free loopback port as ``make run`` does, logs in as ``supervisor`` and
times each page's first and second answer (wall clock, the whole response). With ``--cold`` the shared
cache (the database cache table) is emptied first, as on a first start. Ends with
``RESULT hot_first_s=<x> dashboard_first_s=<x> hot_again_ms=<x> dashboard_again_ms=<x>``.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
PAGES = (("hot", "/dispatch/hot/"), ("dashboard", "/dashboard/"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cold", action="store_true", help="empty the shared cache first")
    args = parser.parse_args()
    if not (ROOT / "var" / "huying.sqlite3").exists():
        sys.exit("没有演示数据库：请先运行 make demo。")
    python = str(ROOT / ".venv" / "bin" / "python")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev"}
    if args.cold:
        code = "from django.core.cache import cache; cache.clear()"
        subprocess.run([python, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, check=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    server = subprocess.Popen(
        [python, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        session = requests.Session()
        for _ in range(300):
            try:
                if session.get(f"{base}/healthz", timeout=5).status_code == 200:
                    break
            except requests.ConnectionError:
                time.sleep(0.1)
        print(f"server answering after {time.perf_counter() - started:.1f} s")
        login = session.get(f"{base}/accounts/login/", timeout=30).text
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login)
        assert token, "no CSRF token on the login page"
        answer = session.post(
            f"{base}/accounts/login/",
            data={"username": "supervisor", "password": "huying2026", "csrfmiddlewaretoken": token.group(1)},
            headers={"Referer": f"{base}/accounts/login/"}, timeout=30,
        )  # fmt: skip
        assert "sessionid" in session.cookies, f"login refused ({answer.status_code})"
        figures: dict[str, float] = {}
        for round_ in ("first", "again"):
            for name, path in PAGES:
                t0 = time.perf_counter()
                page = session.get(base + path, timeout=120)
                seconds = time.perf_counter() - t0
                assert page.status_code == 200, f"{path}: {page.status_code}"
                figures[f"{name}_{round_}"] = seconds
                print(f"{path:16} {round_:5} {seconds * 1000:8.0f} ms")
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(
        f"RESULT hot_first_s={figures['hot_first']:.2f} dashboard_first_s={figures['dashboard_first']:.2f} "
        f"hot_again_ms={figures['hot_again'] * 1000:.0f} dashboard_again_ms={figures['dashboard_again'] * 1000:.0f}"
    )


if __name__ == "__main__":
    main()
