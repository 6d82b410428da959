"""Sealing for one installation: only its key opens it, and any change is refused."""

from __future__ import annotations

import base64

import pytest

from safeguard.sharing import sealing


def test_only_the_receiver_opens_and_every_message_has_its_own_ephemeral_key() -> None:
    receiver = sealing.new_private_key()
    public = sealing.public_key_of(receiver)
    first = sealing.seal(public, b"record", b"ref\nurl\nbeta")
    second = sealing.seal(public, b"record", b"ref\nurl\nbeta")
    assert first["ephemeral"] != second["ephemeral"] and first["ciphertext"] != second["ciphertext"]
    assert b"record" not in base64.b64decode(first["ciphertext"])
    assert sealing.open_sealed(receiver, first, b"ref\nurl\nbeta") == b"record"
    with pytest.raises(sealing.SealError):
        sealing.open_sealed(sealing.new_private_key(), first, b"ref\nurl\nbeta")  # another installation
    with pytest.raises(sealing.SealError):
        sealing.open_sealed(receiver, first, b"ref\nurl\ngamma")  # redirected to another organisation
    flipped = bytearray(base64.b64decode(first["ciphertext"]))
    flipped[0] ^= 1
    with pytest.raises(sealing.SealError):
        sealing.open_sealed(
            receiver, {**first, "ciphertext": base64.b64encode(bytes(flipped)).decode()}, b"ref\nurl\nbeta"
        )
    with pytest.raises(sealing.SealError):
        sealing.open_sealed(receiver, {"nonce": "x"}, b"ref\nurl\nbeta")
