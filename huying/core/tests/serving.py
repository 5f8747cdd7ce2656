"""Start huying as production serves it (gunicorn with config/gunicorn.conf.py and config.settings.prod),
and play slow clients against it. Used by the slow-client tests (docs/adr/0014-slow-clients.md)."""

from __future__ import annotations

import base64
import http.client
import os
import runpy
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

ROOT = Path(__file__).resolve().parents[3]
CONF = ROOT / "config" / "gunicorn.conf.py"
BIN = Path(sys.executable).parent
# Answered without the database: the API's "not authenticated" problem.
PROBE = "/api/v1/appeals/"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def configured_capacity() -> int:
    """How many requests the configuration runs at once: workers × threads (1 thread for a non-threaded worker)."""
    from gunicorn.http import wsgi  # type: ignore[import-untyped]

    original = wsgi.Response  # the config file installs its response class; keep this process as it was
    try:
        conf: dict[str, Any] = runpy.run_path(str(CONF))
    finally:
        wsgi.Response = original
    threads = 1 if "gevent" in conf["worker_class"] else conf["threads"]
    return int(conf["workers"]) * int(threads)


def production_env(var_dir: Path, bind: str) -> dict[str, str]:
    raw = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    env = {name: value for name, value in os.environ.items() if not name.startswith(("HUYING_", "DATABASE_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.prod",
        DJANGO_SECRET_KEY="slow-clients-test-" + base64.b64encode(os.urandom(24)).decode(),
        HUYING_VAR_DIR=str(var_dir),
        HUYING_BIND=bind,
        HUYING_LICENCE_SIGNING_KEYS="kslow:" + base64.urlsafe_b64encode(raw).decode().rstrip("="),
        PYTHONPATH=str(ROOT),
    )
    return env


def answers(port: int, path: str = PROBE, timeout: float = 5.0) -> int | None:
    """The status of a fresh connection's GET, or None if none came within ``timeout`` seconds."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        status: int = conn.getresponse().status
        return status
    except OSError:
        return None
    finally:
        conn.close()


@contextmanager
def gunicorn(var_dir: Path, **env: str) -> Iterator[int]:
    """gunicorn as configured (``env`` added to its environment), on a free loopback port; yields
    the port once it answers."""
    var_dir.mkdir(parents=True, exist_ok=True)
    (var_dir / "staticfiles").mkdir(exist_ok=True)
    port = free_port()
    log = (var_dir / "gunicorn.log").open("wb")
    command = [str(BIN / "gunicorn"), "config.wsgi:application", "-c", str(CONF)]
    proc = subprocess.Popen(
        command,
        cwd=ROOT,
        env={**production_env(var_dir, f"127.0.0.1:{port}"), **env},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 90
        while answers(port, timeout=2) is None:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not start: {(var_dir / 'gunicorn.log').read_text()[-2000:]}")
            time.sleep(0.3)
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def slow_clients(port: int, count: int) -> list[socket.socket]:
    """``count`` connections that never finish: half stop inside the headers, half inside a
    form body shorter than its Content-Length (sent with a CSRF cookie, so the server reads it)."""
    opened: list[socket.socket] = []
    for index in range(count):
        sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        if index % 2 == 0:
            sock.sendall(b"GET /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slow")
        else:
            sock.sendall(
                b"POST /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Cookie: csrftoken=" + b"a" * 32 + b"\r\n"
                b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nusername=sl"
            )
        opened.append(sock)
        time.sleep(0.1)  # let each one reach a worker before the next
    return opened


def close_all(sockets: list[socket.socket]) -> None:
    for sock in sockets:
        with suppress(OSError):
            sock.close()


class NoNginx(Exception):
    """nginx is not installed and could not be installed here."""


@contextmanager
def nginx(var_dir: Path, upstream: int) -> Iterator[int]:
    """scripts/nginx-start.sh on a free loopback port in front of ``upstream``; yields its port."""
    port = free_port()
    env = {**os.environ, "HUYING_VAR_DIR": str(var_dir), "HUYING_NGINX_DIR": str(var_dir / "nginx")}
    script = str(ROOT / "scripts" / "nginx-start.sh")
    started = subprocess.run(
        [script, f"127.0.0.1:{port}", f"127.0.0.1:{upstream}"], env=env, capture_output=True, text=True, timeout=600
    )
    if started.returncode == 3:
        raise NoNginx(started.stderr.strip())
    assert started.returncode == 0, started.stderr
    try:
        yield port
    finally:
        subprocess.run([script, "stop"], env=env, capture_output=True, timeout=60)
