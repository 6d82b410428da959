"""The client's network address, seen through the reverse proxies this installation trusts.

Behind a proxy every request comes from the proxy's address. ``X-Forwarded-For`` is believed
only hop by hop from the right, and only while the hop that added an entry is one of
``SAFEGUARD_TRUSTED_PROXIES``; the first address added by an untrusted hop is the client.
Callers use the address in memory only (a keyed hash for rate limits of anonymous reporters);
it is never stored or logged for them.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from typing import Any

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(value: str) -> list[Network]:
    """``"10.0.0.1, 192.168.0.0/16, ::1"`` → networks; raises ``ValueError`` naming a bad entry."""
    networks = []
    for entry in (part.strip() for part in value.split(",")):
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise ValueError(
                f"{entry!r} is not an IP address or network (like 10.0.0.1 or 10.0.0.0/8)"
            ) from None
    return networks


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def resolve(remote_addr: str, forwarded_for: str, trusted: Sequence[Network]) -> str:
    """The client address given the socket peer and the ``X-Forwarded-For`` header."""
    peer = _address(remote_addr)
    if peer is None:
        return remote_addr
    hops = [hop for hop in (part.strip() for part in forwarded_for.split(",")) if hop]
    current = peer
    while any(current in network for network in trusted) and hops:
        candidate = _address(hops.pop())
        if candidate is None:
            break
        current = candidate
    return str(current)


def client_address(request: Any) -> str:
    return resolve(
        request.META.get("REMOTE_ADDR", ""),
        request.META.get("HTTP_X_FORWARDED_FOR", ""),
        settings.TRUSTED_PROXIES,
    )
