"""Slow clients cannot stop the server when gunicorn is reached directly (docs/adr/0014-slow-clients.md).

gunicorn is started as production serves it (config/gunicorn.conf.py, config.settings.prod). More
connections than it runs requests at once (workers × threads + 2) send unfinished headers or a body
shorter than its Content-Length and then wait; a normal client must still get its answer in seconds.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from huying.core.tests.serving import PROBE, answers, close_all, configured_capacity, gunicorn, slow_clients

ANSWER_WITHIN = 8.0  # seconds, on a loaded two-core machine; a held server makes clients wait minutes


@pytest.fixture(scope="module")
def port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    with gunicorn(tmp_path_factory.mktemp("slow") / "var") as served:
        yield served


def test_slow_clients_do_not_hold_the_workers(port: int) -> None:
    held = configured_capacity() + 2
    slow = slow_clients(port, held)
    try:
        time.sleep(1.0)
        for attempt in range(4):  # each on a new connection: any worker may accept it
            started = time.monotonic()
            status = answers(port, timeout=ANSWER_WITHIN)
            waited = time.monotonic() - started
            assert status == 401, f"request {attempt + 1} got no answer in {waited:.1f} s behind {held} slow clients"
    finally:
        close_all(slow)


@pytest.mark.parametrize("kind", ["headers", "body"])
def test_the_slow_client_itself_is_still_pending(port: int, kind: str) -> None:
    """The slow connections really are unfinished requests, not refused at once: the test above means something."""
    slow = slow_clients(port, 2)
    try:
        sock = slow[0 if kind == "headers" else 1]
        sock.settimeout(1.5)
        with pytest.raises(TimeoutError):
            sock.recv(1)
    finally:
        close_all(slow)


def test_a_kept_alive_connection_may_send_its_next_request_in_pieces(port: int) -> None:
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    try:
        request = f"GET {PROBE} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode()
        sock.sendall(request)
        assert read_response(sock).startswith(b"HTTP/1.1 401")
        sock.sendall(request[:20])
        time.sleep(0.5)
        sock.sendall(request[20:])
        assert read_response(sock).startswith(b"HTTP/1.1 401")
        body = b'{"title": "x"}'
        sock.sendall(  # what curl sends for a larger body: headers first, the body after "100 Continue"
            f"POST {PROBE} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nExpect: 100-continue\r\n\r\n".encode()
        )
        assert read_response(sock).startswith(b"HTTP/1.1 100 Continue")
        sock.sendall(body)
        assert read_response(sock).startswith(b"HTTP/1.1 400")  # the body was read: a validation answer
    finally:
        sock.close()


def test_a_body_too_large_to_hold_is_refused_and_the_connection_closed(port: int) -> None:
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    try:
        sock.sendall(
            f"POST {PROBE} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Content-Length: {70 * 1024 * 1024}\r\n\r\n{{}}".encode()
        )
        assert read_response(sock).startswith(b"HTTP/1.1 413")  # from the event loop: no thread reads it
        assert sock.recv(1) == b""
    finally:
        sock.close()


def test_a_client_that_never_finishes_is_closed_after_the_read_timeout(tmp_path: Path) -> None:
    with gunicorn(tmp_path / "var", HUYING_READ_TIMEOUT="2") as served:
        slow = slow_clients(served, 2)
        idle = socket.create_connection(("127.0.0.1", served), timeout=10)
        try:
            started = time.monotonic()
            for sock in [*slow, idle]:
                sock.settimeout(10)
                assert sock.recv(1) == b""  # closed by the server
            assert time.monotonic() - started < 8
        finally:
            close_all([*slow, idle])


def read_response(sock: socket.socket) -> bytes:
    """Bytes up to the end of one response's headers plus whatever body arrived with them."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    length = next(
        (int(v) for k, _, v in (h.partition(b":") for h in head.split(b"\r\n")) if k.lower() == b"content-length"), 0
    )
    while len(rest) < length:
        rest += sock.recv(65536)
    return head + b"\r\n\r\n" + rest
