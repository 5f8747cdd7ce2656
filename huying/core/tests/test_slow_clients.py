"""Slow clients cannot stop the server when gunicorn is reached directly (docs/adr/0014-slow-clients.md).

gunicorn is started as production serves it (config/gunicorn.conf.py, config.settings.prod). More
connections than it runs requests at once (workers × threads + 2) send unfinished headers or a body
shorter than its Content-Length and then wait; a normal client must still get its answer in seconds.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from huying.core.tests.serving import answers, close_all, configured_capacity, gunicorn, slow_clients

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
