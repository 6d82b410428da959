"""Private set intersection of identifiers, with OpenMined PSI (elliptic-curve Diffie–Hellman).

The side that asks (the *client*) learns which of its identifiers the other side (the
*server*) also holds, and nothing else of the server's set but its size; the server learns only
the size of the client's set. Three messages:

1. client → server: ``request`` — the client's items, each blinded with the client's secret key;
2. server → client: ``setup`` — the server's items blinded with the server's key (exact, as a
   sorted raw list, so there are no false positives) and ``response`` — the client's blinded
   items blinded again with the server's key;
3. the client removes its own blinding and compares: the positions of its items that match.

Identifiers are normalised exactly as intake and analytics normalise them
(``safeguard.analytics.extraction.normalise``) and prefixed with their kind, so the same phone
written two ways matches and a handle never matches an e-mail address.

No Django imports.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import private_set_intersection.python as psi

from safeguard.analytics.extraction import normalise

__all__ = [
    "IDENTIFIER_KINDS",
    "PsiClient",
    "PsiServer",
    "identifier_keys",
]

IDENTIFIER_KINDS = ("phone", "email", "handle", "url", "plate", "document")


def identifier_keys(pairs: Iterable[tuple[str, str]], *, default_region: str | None = None) -> list[str]:
    """``kind:normalised`` keys of (kind, value) pairs, each once; unreadable values are left out."""
    keys: dict[str, None] = {}
    for kind, value in pairs:
        if kind not in IDENTIFIER_KINDS:
            raise ValueError(f"unknown identifier kind {kind!r} (one of {', '.join(IDENTIFIER_KINDS)})")
        if kind == "document":
            normalised: str | None = "".join(ch for ch in value.upper() if ch.isalnum()) or None
        else:
            normalised = normalise(kind, value, default_region=default_region)
        if normalised:
            keys[f"{kind}:{normalised}"] = None
    return list(keys)


@dataclass(frozen=True)
class ServerAnswer:
    setup: bytes
    response: bytes


class PsiServer:
    """The side that holds identifiers and answers a request; it learns only the request's size."""

    def __init__(self, items: Sequence[str], key: bytes | None = None) -> None:
        self._server = psi.server.CreateFromKey(key, True) if key else psi.server.CreateWithNewKey(True)
        self._items = list(items)

    def answer(self, request: bytes, *, client_size: int) -> ServerAnswer:
        setup = self._server.CreateSetupMessage(0.0, client_size, self._items, psi.DataStructure.RAW)
        parsed = psi.Request()
        parsed.ParseFromString(request)
        response = self._server.ProcessRequest(parsed)
        return ServerAnswer(setup=setup.SerializeToString(), response=response.SerializeToString())


class PsiClient:
    """The side that asks; it learns which of its own items the server holds."""

    def __init__(self, items: Sequence[str]) -> None:
        self._client = psi.client.CreateWithNewKey(True)
        self.items = list(items)

    def request(self) -> bytes:
        return bytes(self._client.CreateRequest(self.items).SerializeToString())

    def intersection(self, answer: ServerAnswer) -> list[str]:
        setup = psi.ServerSetup()
        setup.ParseFromString(answer.setup)
        response = psi.Response()
        response.ParseFromString(answer.response)
        positions = self._client.GetIntersection(setup, response)
        return sorted(self.items[position] for position in positions)
