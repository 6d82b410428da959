"""Rotating this installation's signing (Ed25519) and sealing (X25519) keys, and a peer's.

``identity_rotate_keys``: a platform administrator makes new keys; every paired installation is
told in a ``rekey`` message signed with the OLD key (the only key it trusts) that carries the new
public keys and a proof that the sender holds the new signing key (its signature over the new
key). The peer checks both and switches (``received_rekey``): from then on a message signed with
the old key is refused. Old public keys are kept with the time they were in force (``PastKey``),
so a record signed in the past can still be checked (``public_key_at``); private halves are not.
"""

from __future__ import annotations

import base64
import logging
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safeguard.accounts.access import require_platform_admin
from safeguard.core.audit import audit_record
from safeguard.sharing import federation, sealing, signing
from safeguard.sharing.handovers import box_key
from safeguard.sharing.models import InstallationIdentity, PastKey, Peer, PeerStatus

logger = logging.getLogger(__name__)

PROOF_METHOD = "REKEY"


def _proof_message(url: str, public_key: str) -> tuple[str, bytes]:
    return url, public_key.encode()


def identity_rotate_keys(*, user: Any) -> list[Peer]:
    """New keys for this installation, each paired peer told (signed with the old key).

    Returns the paired installations that could not be told: they refuse this installation's
    messages from now on, until unpaired and paired again (the old private key is not kept)."""
    require_platform_admin(user)
    me = federation.identity()
    if me is None:
        raise ValidationError(_("This installation has no keys yet: pair with another installation first."))
    if Peer.objects.filter(status=PeerStatus.OUTGOING).exists():
        raise ValidationError(
            _("A request to pair is waiting for an answer; rotate the keys once it is answered.")
        )
    old_box = box_key(me)
    private_key, box_private_key = signing.new_private_key(), sealing.new_private_key()
    public_key, box_public_key = signing.public_key_of(private_key), sealing.public_key_of(box_private_key)
    url, proof_body = _proof_message(me.url, public_key)
    proof_time, proof = signing.sign(private_key, PROOF_METHOD, url, proof_body)
    message = {
        "public_key": public_key,
        "box_public_key": box_public_key,
        "proof_time": proof_time,
        "proof": proof,
    }
    not_told: list[Peer] = []
    for peer in Peer.objects.filter(status=PeerStatus.PAIRED):
        try:
            federation.post(me, peer.url, "rekey", message)  # signed with the old key
        except federation.FederationError:
            logger.warning("could not tell installation %s of the new keys", peer.pk)
            not_told.append(peer)
    now = timezone.now()
    with transaction.atomic():
        PastKey.objects.create(
            peer=None, public_key=me.public_key, box_public_key=old_box,
            valid_from=me.keys_since or me.created_at, valid_until=now,
        )  # fmt: skip
        me.private_key, me.public_key = private_key, public_key
        me.box_private_key, me.box_public_key, me.keys_since = box_private_key, box_public_key, now
        me.save(
            update_fields=["private_key", "public_key", "box_private_key", "box_public_key", "keys_since"]
        )
        audit_record(
            action="sharing.federation_keys_rotated", actor=user, organisation=None, target=me,
            detail={"fingerprint": signing.fingerprint(public_key), "not_told": [peer.pk for peer in not_told]},
        )  # fmt: skip
    return not_told


def _raw_key(value: Any) -> str:
    try:
        if not isinstance(value, str) or len(base64.b64decode(value, validate=True)) != 32:
            raise ValueError("not a 32-byte key")
    except ValueError as error:
        raise ValidationError("key") from error
    return value


def received_rekey(*, peer: Peer, payload: dict[str, Any]) -> dict[str, Any]:
    """A paired installation's new keys, in a message already checked against its current key.

    The new signing key must have signed itself (the proof); then it replaces the old one, which
    is kept with its validity period."""
    public_key, box_public_key = _raw_key(payload.get("public_key")), _raw_key(payload.get("box_public_key"))
    url, proof_body = _proof_message(peer.url, public_key)
    try:
        signing.verify(
            public_key,
            PROOF_METHOD,
            url,
            proof_body,
            str(payload.get("proof_time", "")),
            str(payload.get("proof", "")),
        )
    except signing.SignatureError as error:
        raise PermissionDenied("the new key did not sign itself") from error
    now = timezone.now()
    with transaction.atomic():
        PastKey.objects.create(
            peer=peer, public_key=peer.public_key, box_public_key=peer.box_public_key,
            valid_from=peer.keys_since or peer.paired_at, valid_until=now,
        )  # fmt: skip
        peer.public_key, peer.box_public_key, peer.keys_since = public_key, box_public_key, now
        peer.save(update_fields=["public_key", "box_public_key", "keys_since"])
        audit_record(
            action="sharing.federation_rekeyed_by_peer", organisation=None, target=peer,
            detail={"fingerprint": signing.fingerprint(public_key)},
        )  # fmt: skip
    return {}


def public_key_at(*, peer: Peer | None, at: datetime) -> str:
    """The signing key of ``peer`` (None: this installation) that was in force at ``at``."""
    past = PastKey.objects.filter(peer=peer, valid_until__gt=at).order_by("valid_until").first()
    if past is not None and (past.valid_from is None or past.valid_from <= at):
        return past.public_key
    if peer is not None:
        return peer.public_key
    me: InstallationIdentity | None = federation.identity()
    return me.public_key if me else ""
