"""gunicorn's HTTP/1 response, sending a small body in the same ``send`` as its headers.

gunicorn 23 writes a response's status line and headers with one ``sendall`` and the body with
another. For the API's small JSON answers that is two TCP segments per response on the same
connection: two system calls on the server, and a client woken twice (once for the headers, and
again for the body it is then waiting for). :class:`CoalescingResponse` gives gunicorn's own
header bytes and the first body chunk to a single ``sendall`` when the body is small, known in
length (not chunked) and fits the declared Content-Length. Every other case is gunicorn's own
code path: chunked and streamed responses, files (sendfile), bodies over 64 KiB, empty
responses written only at close. aiohttp made the same change (aio-libs/aiohttp#10991).

``config/gunicorn.conf.py`` installs it with :func:`install`. Measured with ``bench/intake.py``:
see docs/adr/0009-sqlite-writer-queue.md (2026-11-24: a small response in one send).
"""

from __future__ import annotations

from typing import Any

from gunicorn import util  # type: ignore[import-untyped]
from gunicorn.http import wsgi  # type: ignore[import-untyped]

COALESCE_MAX = 64 * 1024


class _Held:
    """Stands in for the socket while gunicorn's ``send_headers`` runs, keeping what it sends."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def sendall(self, data: bytes) -> None:
        self.parts.append(bytes(data))


class CoalescingResponse(wsgi.Response):  # type: ignore[misc]
    def write(self, arg: Any) -> None:
        small = isinstance(arg, bytes) and len(arg) <= COALESCE_MAX
        if self.headers_sent or self.chunked or not small:
            return super().write(arg)
        if self.response_length is not None and len(arg) > self.response_length:
            return super().write(arg)  # gunicorn truncates to Content-Length; leave that to it
        real: Any = self.sock  # type: ignore[has-type]  # gunicorn is untyped
        held = _Held()
        self.sock = held
        try:
            self.send_headers()  # gunicorn's own header bytes, into ``held``
        finally:
            self.sock = real
        self.sent += len(arg)
        util.write(self.sock, b"".join([*held.parts, arg]))
        return None


def install() -> None:
    """Make gunicorn's WSGI glue build CoalescingResponse (``wsgi.create`` looks the name up per request)."""
    wsgi.Response = CoalescingResponse
