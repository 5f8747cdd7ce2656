"""config/gunicorn_response.py: a small body leaves with its headers in one send; the bytes on the
wire are exactly gunicorn's own in every case."""

from __future__ import annotations

from typing import Any

import pytest
from gunicorn.config import Config  # type: ignore[import-untyped]
from gunicorn.http import wsgi  # type: ignore[import-untyped]

from config.gunicorn_response import COALESCE_MAX, CoalescingResponse


class Socket:
    def __init__(self) -> None:
        self.sends: list[bytes] = []

    def sendall(self, data: bytes) -> None:
        self.sends.append(bytes(data))


class Request:
    def __init__(self, method: str = "POST", version: tuple[int, int] = (1, 1)) -> None:
        self.method, self.version = method, version

    def should_close(self) -> bool:
        return False


def serve(response_class: Any, status: str, headers: list[tuple[str, str]], body: list[bytes], **req: Any) -> Socket:
    sock = Socket()
    response = response_class(Request(**req), sock, Config())
    response.start_response(status, headers)
    for chunk in body:
        response.write(chunk)
    response.close()
    return sock


def both(*args: Any, **kwargs: Any) -> tuple[Socket, Socket]:
    return serve(wsgi.Response, *args, **kwargs), serve(CoalescingResponse, *args, **kwargs)


def test_a_small_json_answer_leaves_in_one_send() -> None:
    body = b'{"id": 1, "number": "202611240000001", "status": "submitted"}'
    stock, ours = both(
        "201 Created", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))], [body]
    )
    assert len(stock.sends) == 2 and len(ours.sends) == 1
    # Same bytes, apart from the Date header's second, which may tick between the two.
    assert ours.sends[0].endswith(b"\r\n\r\n" + body) and ours.sends[0].startswith(b"HTTP/1.1 201 Created\r\n")
    assert _without_date(ours.sends[0]) == _without_date(b"".join(stock.sends))


@pytest.mark.parametrize(
    ("headers", "body", "req"),
    [
        ([("Content-Type", "text/plain")], [b"a", b"bc", b""], {}),  # no length on HTTP/1.1: chunked
        ([("Content-Length", str(COALESCE_MAX + 1))], [b"x" * (COALESCE_MAX + 1)], {}),  # too big to copy
        ([("Content-Length", "3")], [b"abcdef"], {}),  # longer than declared: gunicorn truncates
        ([], [], {}),  # nothing written before close (a 204)
        ([("Content-Length", "2")], [b"ok"], {"method": "HEAD"}),
        ([("Content-Type", "text/plain")], [b"old client"], {"version": (1, 0)}),
    ],
)
def test_every_other_response_is_gunicorns_own(headers: list[tuple[str, str]], body: list[bytes], req: Any) -> None:
    stock, ours = both("200 OK", headers, body, **req)
    assert _without_date(b"".join(ours.sends)) == _without_date(b"".join(stock.sends))


def test_the_served_config_installs_it() -> None:
    import runpy
    from pathlib import Path

    original = wsgi.Response
    try:
        runpy.run_path(str(Path(__file__).resolve().parents[3] / "config" / "gunicorn.conf.py"))
        assert wsgi.Response is CoalescingResponse
    finally:
        wsgi.Response = original


def _without_date(raw: bytes) -> bytes:
    return b"\r\n".join(line for line in raw.split(b"\r\n") if not line.startswith(b"Date: "))
