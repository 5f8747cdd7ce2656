"""config/gunicorn_worker.py: when a request has arrived in full, and so may go to a thread."""

from __future__ import annotations

import pytest

from config.gunicorn_worker import MAX_BODY, MAX_HEAD, request_state, without_expect

HEAD = b"POST /api/v1/appeals/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"


@pytest.mark.parametrize(
    ("data", "state"),
    [
        (b"", "partial"),
        (b"GET / HTTP/1.1\r\nHost: x\r\n", "partial"),  # headers not finished
        (b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", "complete"),  # no body
        (HEAD + b"Content-Length: 10\r\n\r\n12345", "partial"),  # body shorter than declared
        (HEAD + b"Content-Length: 10\r\n\r\n1234567890", "complete"),
        (HEAD + b"content-length:10\r\n\r\n1234567890GET / HTTP/1.1\r\n", "complete"),  # pipelined: the first is whole
        (HEAD + b"Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n", "partial"),
        (HEAD + b"Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", "complete"),
        (HEAD + b"Content-Length: 10\r\nExpect: 100-continue\r\n\r\n", "continue"),
        (HEAD + b"Content-Length: 10\r\nExpect: 100-continue\r\n\r\n12", "partial"),
        (HEAD + b"Content-Length: 1\r\nContent-Length: 2\r\n\r\n", "complete"),  # gunicorn refuses it
        (HEAD + b"Content-Length: x\r\n\r\n", "complete"),  # malformed: gunicorn answers 400
        (HEAD + f"Content-Length: {MAX_BODY + 1}\r\n\r\n".encode(), "too_large"),  # the thread reads it
        (b"GET /" + b"a" * MAX_HEAD + b" HTTP/1.1\r\n", "too_large"),  # gunicorn answers 4xx
    ],
)
def test_request_state(data: bytes, state: str) -> None:
    assert request_state(data) == state


def test_the_expect_line_answered_by_the_event_loop_is_taken_out() -> None:
    data = HEAD + b"Content-Length: 2\r\nExpect: 100-Continue\r\nAccept: */*\r\n\r\nok"
    assert without_expect(data) == HEAD + b"Content-Length: 2\r\nAccept: */*\r\n\r\nok"
    last = HEAD + b"Content-Length: 2\r\nExpect: 100-continue\r\n\r\nok"
    assert without_expect(last) == HEAD + b"Content-Length: 2\r\n\r\nok"
