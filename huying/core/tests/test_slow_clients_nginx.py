"""The production profile's front: nginx (config/nginx/huying.conf, scripts/nginx-start.sh) reads
each request in full before gunicorn sees it (docs/adr/0014-slow-clients.md).

gunicorn runs here with gthread workers, the worker model that slow clients stop when reached
directly: behind nginx they cannot. Skipped when nginx is not installed and cannot be installed.
"""

from __future__ import annotations

import http.client
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from huying.core.tests.serving import NoNginx, answers, close_all, configured_capacity, gunicorn, nginx, slow_clients


@pytest.fixture(scope="module")
def front(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, Path]]:
    var = tmp_path_factory.mktemp("front") / "var"
    with gunicorn(var, HUYING_WORKER_CLASS="gthread") as app:
        try:
            with nginx(var, app) as port:
                yield port, var
        except NoNginx as why:
            pytest.skip(f"nginx is not available here: {why}")


def test_slow_clients_through_nginx_do_not_hold_the_workers(front: tuple[int, Path]) -> None:
    port, _ = front
    held = configured_capacity() + 2
    slow = slow_clients(port, held)
    try:
        time.sleep(1.0)
        for attempt in range(4):
            started = time.monotonic()
            status = answers(port, timeout=8.0)
            assert status == 401, f"request {attempt + 1}: no answer in {time.monotonic() - started:.1f} s"
        # nginx drops them after client_header_timeout / client_body_timeout (10 s).
        started = time.monotonic()
        for sock in slow:
            assert dropped(sock)
        assert time.monotonic() - started < 20
    finally:
        close_all(slow)


def test_static_files_are_served_by_nginx(front: tuple[int, Path]) -> None:
    port, var = front
    (var / "staticfiles" / "front-check.txt").write_text("served by the front")
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    conn.request("GET", "/static/front-check.txt")
    response = conn.getresponse()
    assert response.status == 200 and response.read() == b"served by the front"
    assert response.getheader("Server", "").startswith("nginx")
    conn.close()


def test_the_site_file_sets_the_limits_the_app_relies_on() -> None:
    text = (Path(__file__).resolve().parents[3] / "config" / "nginx" / "huying.conf").read_text()
    for line in (
        "client_header_timeout 10s;",
        "client_body_timeout 10s;",
        "proxy_request_buffering on;",
        "client_max_body_size 51m;",
        "proxy_set_header X-Forwarded-For $remote_addr;",
    ):
        assert line in text


def dropped(sock: socket.socket) -> bool:
    """True once nginx closes the connection (or answers 408 and closes it) within 20 seconds."""
    sock.settimeout(20)
    try:
        data = sock.recv(4096)
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False
    return data == b"" or data.startswith(b"HTTP/1.1 408")
