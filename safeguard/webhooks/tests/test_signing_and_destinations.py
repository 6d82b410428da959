"""The signature a receiver checks, and the addresses webhooks may go to (no database)."""

from __future__ import annotations

import pytest

from safeguard.webhooks.destinations import DestinationRefused, check_destination
from safeguard.webhooks.signing import signature_header, verify

SECRET = "whsec_test-secret"
BODY = b'{"id":"e1","type":"report.received"}'
NOW = 1_800_000_000


def test_a_good_signature_verifies():
    header = signature_header(SECRET, BODY, timestamp=NOW)
    assert header.startswith(f"t={NOW},v1=")
    assert verify(SECRET, header, BODY, now=NOW + 10)


@pytest.mark.parametrize(
    "body, secret",
    [(BODY.replace(b"received", b"routed"), SECRET), (BODY + b" ", SECRET), (BODY, "whsec_other")],
)
def test_a_tampered_body_or_another_secret_fails(body, secret):
    assert not verify(secret, signature_header(SECRET, BODY, timestamp=NOW), body, now=NOW)


def test_a_changed_timestamp_fails():
    header = signature_header(SECRET, BODY, timestamp=NOW).replace(f"t={NOW}", f"t={NOW + 1}")
    assert not verify(SECRET, header, BODY, now=NOW)


@pytest.mark.parametrize("offset", [301, -301, 3600])
def test_a_stale_or_future_timestamp_fails(offset):
    assert not verify(SECRET, signature_header(SECRET, BODY, timestamp=NOW), BODY, now=NOW + offset)


@pytest.mark.parametrize("header", ["", "t=abc,v1=00", f"t={NOW}", "v1=deadbeef", "garbage"])
def test_a_malformed_header_fails(header):
    assert not verify(SECRET, header, BODY, now=NOW)


def _public(host: str, port: int) -> list[str]:
    return ["93.184.215.14"]


def test_a_public_https_address_is_allowed():
    assert check_destination("https://hooks.example.org/in", resolver=_public) == ["93.184.215.14"]


@pytest.mark.parametrize(
    "url, reason",
    [
        ("http://hooks.example.org/in", "https"),
        ("ftp://hooks.example.org/in", "https"),
        ("https://user:pw@hooks.example.org/", "password"),
        ("https://127.0.0.1/", "private"),
        ("https://10.1.2.3/", "private"),
        ("https://172.16.0.1/", "private"),
        ("https://192.168.0.10/", "private"),
        ("https://169.254.169.254/latest/meta-data", "private"),
        ("https://[::1]/", "private"),
        ("https://[::ffff:127.0.0.1]/", "private"),
        ("https://[fd00::1]/", "private"),
        ("https://0.0.0.0/", "private"),
        ("https://100.64.0.1/", "private"),
        ("https://224.0.0.1/", "private"),
        ("https://hooks.example.org:99999/", "port"),
    ],
)
def test_private_loopback_and_non_https_addresses_are_refused(url, reason):
    with pytest.raises(DestinationRefused, match=reason):
        check_destination(url, resolver=_public)


def test_a_name_that_resolves_inside_the_network_is_refused():
    with pytest.raises(DestinationRefused, match="private"):
        check_destination(
            "https://intranet.example.org/", resolver=lambda host, port: ["93.184.215.14", "10.0.0.1"]
        )


def test_a_name_that_does_not_resolve_is_refused():
    with pytest.raises(DestinationRefused, match="resolve"):
        check_destination("https://nowhere.invalid/", resolver=lambda host, port: [])


def test_loopback_only_when_allowed_and_private_networks_never():
    assert check_destination("http://127.0.0.1:9000/", allow_loopback=True) == ["127.0.0.1"]
    assert check_destination(
        "http://localhost:9000/", allow_loopback=True, resolver=lambda h, p: ["127.0.0.1", "::1"]
    )
    with pytest.raises(DestinationRefused):
        check_destination("http://127.0.0.1:9000/")
    with pytest.raises(DestinationRefused, match="private"):
        check_destination("https://10.0.0.1/", allow_loopback=True)
    with pytest.raises(DestinationRefused, match="https"):
        check_destination("http://hooks.example.org/", allow_loopback=True, resolver=_public)
