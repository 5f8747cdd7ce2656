"""The client's address: X-Forwarded-For is believed only from a configured trusted proxy."""

from __future__ import annotations

from django.test import RequestFactory, override_settings

from huying.core.clientip import client_ip
from huying.core.services import client_ip as audit_client_ip


def _request(remote: str, forwarded: str | None = None) -> object:
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_without_trusted_proxies_the_header_is_ignored() -> None:
    assert client_ip(_request("203.0.113.7", "1.2.3.4")) == "203.0.113.7"
    assert client_ip(None) is None
    assert client_ip(_request("not-an-address")) is None
    # The audit log takes its address from the same helper.
    assert audit_client_ip(_request("203.0.113.7", "1.2.3.4")) == "203.0.113.7"


@override_settings(HUYING_TRUSTED_PROXIES=["10.0.0.0/24", "192.0.2.1"])
def test_a_trusted_proxy_is_believed_from_the_right() -> None:
    assert client_ip(_request("10.0.0.5", "198.51.100.9")) == "198.51.100.9"
    # A client writes its own header; the proxy appends what it saw: the forged left part is skipped.
    assert client_ip(_request("10.0.0.5", "1.2.3.4, 198.51.100.9")) == "198.51.100.9"
    # Two trusted hops: the first untrusted entry from the right is the client.
    assert client_ip(_request("10.0.0.5", "198.51.100.9, 192.0.2.1")) == "198.51.100.9"
    # A malformed entry stops the walk; the nearest trusted hop is answered.
    assert client_ip(_request("10.0.0.5", "198.51.100.9, junk")) == "10.0.0.5"
    assert client_ip(_request("10.0.0.5")) == "10.0.0.5"
    # Not from the proxy: the header is the client's own words.
    assert client_ip(_request("203.0.113.7", "198.51.100.9")) == "203.0.113.7"
