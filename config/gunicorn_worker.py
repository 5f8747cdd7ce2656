"""gunicorn's gthread worker, handing a connection to a thread only once its request has arrived.

Stock gthread waits until a connection is readable, then gives it to a pool thread, which reads the
request with blocking calls. A client that sends part of its headers, or a body shorter than its
Content-Length, holds that thread until it gives up; with one thread per process (ADR 0009), two
such clients stopped the server. :class:`BufferingThreadWorker` reads in the worker's own event loop
instead: each time a connection is readable it takes what has arrived, without blocking, and only a
complete request (headers and the whole body) goes to a thread, its bytes handed to gunicorn's own
parser. A connection that has not sent a complete request within ``READ_TIMEOUT`` seconds
(``HUYING_READ_TIMEOUT``, default 30) of connecting, or of starting its next request on keep-alive,
is closed. Threads run the application only.

Buffered per connection: headers up to ``MAX_HEAD``, a body up to ``MAX_BODY``. A request past
either is answered 431 or 413 from the event loop and its connection closed: no form of the app
is that large, and a thread must never be left reading such a body from a slow client.
TLS is not read here (``certfile`` set: stock behaviour): production terminates it in nginx.
See docs/adr/0014-slow-clients.md; ``huying/core/tests/test_slow_clients.py`` holds it.
"""

from __future__ import annotations

import errno
import os
import re
import selectors
import time
from collections import deque
from contextlib import suppress
from functools import partial
from typing import Any

from gunicorn.workers.gthread import TConn, ThreadWorker  # type: ignore[import-untyped]

READ_TIMEOUT = float(os.environ.get("HUYING_READ_TIMEOUT", "30"))
MAX_HEAD = 64 * 1024
MAX_BODY = 64 * 1024 * 1024  # above the largest form (five 10 MiB attachments)
_CONTENT_LENGTH = re.compile(rb"\r\ncontent-length:[ \t]*([^\r\n]*?)[ \t]*(?=\r\n)", re.IGNORECASE)
_CHUNKED = re.compile(rb"\r\ntransfer-encoding:[^\r\n]*chunked", re.IGNORECASE)
_EXPECT_CONTINUE = re.compile(rb"\r\nexpect:[ \t]*100-continue[ \t]*(?=\r\n)", re.IGNORECASE)


def request_state(data: bytes | bytearray) -> str:
    """``"complete"`` when ``data`` holds at least one whole request (or a malformed one, which
    gunicorn answers), ``"too_large"`` when it never will be held here in full, ``"continue"`` when
    headers asking for 100-continue have arrived without their body, else ``"partial"``."""
    end = data.find(b"\r\n\r\n")
    if end < 0:
        return "too_large" if len(data) > MAX_HEAD else "partial"
    head = bytes(data[: end + 2])
    body = len(data) - end - 4
    if _CHUNKED.search(head):
        if data.find(b"0\r\n\r\n", end + 4) >= 0:
            return "complete"
        if body > MAX_BODY:
            return "too_large"
    else:
        lengths = _CONTENT_LENGTH.findall(head)
        if len(lengths) != 1 or not lengths[0].isdigit():  # no body, or one gunicorn refuses (400)
            return "complete"
        length = int(lengths[0])
        if length > MAX_BODY:
            return "too_large"
        if body >= length:
            return "complete"
    return "continue" if body == 0 and _EXPECT_CONTINUE.search(head) else "partial"


def without_expect(data: bytes) -> bytes:
    """The request with its ``Expect: 100-continue`` line removed, once the event loop has answered it."""
    end = data.find(b"\r\n\r\n") + 2
    return _EXPECT_CONTINUE.sub(b"", data[:end], count=1) + data[end:]


class BufferingThreadWorker(ThreadWorker):  # type: ignore[misc]
    def init_process(self) -> None:
        self._reading: deque[Any] = deque()  # connections still sending a request, oldest first
        super().init_process()

    def accept(self, server: Any, listener: Any) -> None:
        """gunicorn's ``accept``, with the new connection's read deadline started."""
        try:
            sock, client = listener.accept()
        except OSError as error:
            if error.errno not in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                raise
            return
        conn = TConn(self.cfg, sock, client, server)
        self.nr_conns += 1
        if not self.cfg.is_ssl:
            self._start_reading(conn)
        with self._lock:
            self.poller.register(conn.sock, selectors.EVENT_READ, partial(self.on_client_socket_readable, conn))

    def _start_reading(self, conn: Any) -> None:
        conn.read_deadline = time.monotonic() + READ_TIMEOUT
        conn.pending = bytearray()
        conn.continued = False
        self._reading.append(conn)

    def on_client_socket_readable(self, conn: Any, client: Any) -> None:
        if self.cfg.is_ssl:
            return super().on_client_socket_readable(conn, client)
        if getattr(conn, "pending", None) is None:  # a kept-alive connection starting its next request
            with self._lock:
                try:
                    self._keep.remove(conn)
                except ValueError:
                    return  # closed meanwhile by the keep-alive timeout
            self._start_reading(conn)
        try:
            data = client.recv(65536)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:  # the client went away
            self._drop(conn)
            return
        conn.pending += data
        state = request_state(conn.pending)
        if state == "continue" and not conn.continued:
            conn.continued = True
            with suppress(OSError):
                client.send(b"HTTP/1.1 100 Continue\r\n\r\n")
        if state == "too_large":  # more than any form the app accepts: refused here, never given a thread
            self._refuse(conn, client)
            return
        if state != "complete":
            return
        with self._lock:
            self.poller.unregister(client)
        self._stop_reading(conn)
        buffered, conn.pending = bytes(conn.pending), None
        if conn.continued:  # answered here: gunicorn must not send a second 100 Continue
            buffered = without_expect(buffered)
        conn.init()
        conn.parser.unreader.unread(buffered)
        future = self.tpool.submit(self.handle, conn)
        self._wrap_future(future, conn)

    def _refuse(self, conn: Any, client: Any) -> None:
        end = conn.pending.find(b"\r\n\r\n")
        status = b"431 Request Header Fields Too Large" if end < 0 else b"413 Content Too Large"
        with suppress(OSError):
            client.send(b"HTTP/1.1 " + status + b"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        self._drop(conn)

    def _stop_reading(self, conn: Any) -> None:
        with suppress(ValueError):
            self._reading.remove(conn)

    def _drop(self, conn: Any) -> None:
        with self._lock, suppress(KeyError, ValueError, OSError):
            self.poller.unregister(conn.sock)
        self._stop_reading(conn)
        conn.pending = None
        self.nr_conns -= 1
        conn.close()

    def murder_keepalived(self) -> None:
        super().murder_keepalived()
        now = time.monotonic()
        while self._reading and self._reading[0].read_deadline <= now:
            self._drop(self._reading[0])
