"""Where a webhook may be delivered: HTTPS to a public address only (the SSRF guard).

Checked when an endpoint is saved and again before every attempt, on the addresses the name
resolves to *then* (a name that later points inside the network is refused at delivery).
``allow_loopback`` (the setting ``SAFEGUARD_WEBHOOKS_ALLOW_LOOPBACK``, for tests and a local
demo) lets ``http``/``https`` reach loopback addresses; private, link-local and other
non-public addresses stay refused.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

Resolver = Callable[[str, int], list[str]]


class DestinationRefused(ValueError):
    """The URL may not receive webhooks; the message says why, for the admin to read."""


def resolve(host: str, port: int) -> list[str]:
    try:
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        return []
    return sorted({str(answer[4][0]) for answer in answers})


def check_destination(
    url: str, *, allow_loopback: bool = False, resolver: Resolver | None = None
) -> list[str]:
    """The addresses ``url`` may be delivered to; raises ``DestinationRefused`` otherwise."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise DestinationRefused(_("Give a full https:// address."))
    if parts.username or parts.password:
        raise DestinationRefused(_("The address must not contain a user name or password."))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise DestinationRefused(_("The port is not a number between 1 and 65535.")) from None
    host = parts.hostname
    try:
        addresses = [str(ipaddress.ip_address(host))]
    except ValueError:
        addresses = (resolver or resolve)(host, port)
    if not addresses:
        raise DestinationRefused(_("The host name does not resolve to any address."))
    ips = [ipaddress.ip_address(address) for address in addresses]
    loopback = all(ip.is_loopback for ip in ips)
    if parts.scheme == "http" and not (allow_loopback and loopback):
        raise DestinationRefused(_("Only https:// addresses can receive webhooks."))
    for ip in ips:
        if ip.is_loopback and allow_loopback:
            continue
        mapped = getattr(ip, "ipv4_mapped", None)
        if not ip.is_global or ip.is_multicast or (mapped is not None and not mapped.is_global):
            raise DestinationRefused(
                _(
                    "The address points to a private, loopback or reserved network; webhooks go only "
                    "to public internet addresses."
                )
            )
    return addresses
