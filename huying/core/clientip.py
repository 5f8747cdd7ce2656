"""The client's address: the connection's, or what a configured trusted proxy forwarded.

``X-Forwarded-For`` is read only when the connection comes from an address listed in
``HUYING_TRUSTED_PROXIES`` (addresses or networks). The header is walked from the right, skipping
the trusted proxies' own entries; the first address no trusted proxy owns is the client. A client
reaching the application directly can write anything in the header: it is then ignored. Rate
limits, login throttles and audit rows all take the address from here.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from typing import Any

from django.conf import settings

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def _parse(value: str) -> Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _trusted(address: Address, networks: tuple[Network, ...]) -> bool:
    return any(address.version == n.version and address in n for n in networks)


def client_ip(request: Any) -> str | None:
    """The address the request came from (None without a request or without a usable address)."""
    if request is None:
        return None
    remote = _parse(request.META.get("REMOTE_ADDR") or "")
    if remote is None:
        return None
    networks = _networks(tuple(getattr(settings, "HUYING_TRUSTED_PROXIES", ())))
    if not networks or not _trusted(remote, networks):
        return str(remote)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for entry in reversed([part for part in forwarded.split(",") if part.strip()]):
        hop = _parse(entry)
        if hop is None:
            break  # a malformed entry: nothing to its left can be believed
        if not _trusted(hop, networks):
            return str(hop)
    return str(remote)
