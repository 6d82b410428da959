"""Federation: pairing with another installation, and private set intersection with it.

Pairing: a platform administrator asks (``peer_request``): this installation sends its name,
address and public key to the other, signed with that key; the other's platform administrator
compares the key's fingerprint (read to them by phone, say) and accepts (``peer_accept``), which
sends their own key back, signed. From then on every request between the two is signed
(``signing``) and checked against the stored key; ``peer_unpair`` ends it at once on this side
and tells the other.

Private set intersection (``psi_query``): a supervisor of an organisation that takes part in
match notices asks which of its identifiers the paired installation holds. The other side
answers with OpenMined PSI over the identifiers of its own participating organisations; this
side learns the intersection, stores a ``FederatedMatch`` (kinds, counts and its own matching
records — no identifier value) and sends the intersection back, so that the other side, which
holds those identifiers already, records its own match. Neither side ever receives the other's
non-matching identifiers.

Everything goes over HTTPS (plain HTTP is accepted only to a loopback address, for development
and tests), and every exchange is an audit event on both sides.
"""

from __future__ import annotations

import base64
import json
import logging
import urllib.error
import urllib.request
import uuid
from collections import Counter
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from safeguard.accounts.access import Actor, require_platform_admin
from safeguard.analytics.models import Entity, Mention
from safeguard.collaboration.models import (
    CollaborationSettings,
    MatchNotice,
    Notification,
    NotificationKind,
    RecordType,
)
from safeguard.core.audit import audit_record
from safeguard.sharing import signing
from safeguard.sharing.intersection import (
    IDENTIFIER_KINDS,
    PsiClient,
    PsiServer,
    ServerAnswer,
    identifier_keys,
)
from safeguard.sharing.models import FederatedMatch, InstallationIdentity, Peer, PeerStatus

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 600
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
PROTOCOL = "/federation/v1/"


class FederationError(Exception):
    """The other installation could not be reached or refused; the message says which."""


def _base_url(url: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ValidationError(
            {"url": [_("Give the other installation's address, such as https://safeguard.example.org.")]}
        )
    if parts.scheme == "http" and parts.hostname not in LOOPBACK:
        raise ValidationError({"url": [_("The address must start with https://.")]})
    return f"{parts.scheme}://{parts.netloc}"


def identity() -> InstallationIdentity | None:
    return InstallationIdentity.objects.order_by("pk").first()


def ensure_identity(*, url: str, name: str) -> InstallationIdentity:
    """This installation's identity, made with ``url`` and ``name`` the first time."""
    return _identity_for(url, name)


def _identity_for(url: str, name: str) -> InstallationIdentity:
    current = identity()
    if current is not None:
        return current
    private_key = signing.new_private_key()
    return InstallationIdentity.objects.create(
        url=_base_url(url),
        name=name.strip() or url,
        private_key=private_key,
        public_key=signing.public_key_of(private_key),
    )


def post(me: InstallationIdentity, peer_url: str, action: str, payload: dict[str, Any]) -> dict[str, Any]:
    """A signed POST to the other installation's protocol endpoint; its signed answer, checked."""
    path = f"{PROTOCOL}{action}"
    body = json.dumps(payload).encode()
    timestamp, signature = signing.sign(me.private_key, "POST", path, body)
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked by _base_url
        peer_url + path,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            signing.HEADER_INSTALLATION: me.url,
            signing.HEADER_TIME: timestamp,
            signing.HEADER_SIGNATURE: signature,
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            answer = response.read()
            answer_time = response.headers.get(signing.HEADER_TIME, "")
            answer_signature = response.headers.get(signing.HEADER_SIGNATURE, "")
    except urllib.error.HTTPError as error:
        raise FederationError(
            _("The other installation refused (%(status)s).") % {"status": error.code}
        ) from error
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise FederationError(_("The other installation could not be reached.")) from error
    result: dict[str, Any] = json.loads(answer or b"{}")
    key = result.get("public_key") if action in ("pair", "accept") else None
    peer = Peer.objects.filter(url=peer_url).first()
    check_key = (peer.public_key if peer and peer.public_key else None) or key
    if check_key:
        try:
            signing.verify(check_key, "POST", path, answer, answer_time, answer_signature)
        except signing.SignatureError as error:
            raise FederationError(_("The other installation's answer is not signed by its key.")) from error
    return result


def signed_answer(
    me: InstallationIdentity, path: str, payload: dict[str, Any]
) -> tuple[bytes, dict[str, str]]:
    """The body and headers of a signed answer to a protocol request."""
    body = json.dumps(payload).encode()
    timestamp, signature = signing.sign(me.private_key, "POST", path, body)
    return body, {signing.HEADER_TIME: timestamp, signing.HEADER_SIGNATURE: signature}


def _audit(action: str, peer: Peer, actor: Any = None, **detail: Any) -> None:
    audit_record(
        action=f"sharing.federation_{action}", actor=actor, organisation=None, target=peer, detail=detail
    )


# ---- pairing ------------------------------------------------------------------------------


def peer_request(*, user: Any, url: str, own_url: str, own_name: str) -> Peer:
    """Ask the installation at ``url`` to pair (platform administrators only)."""
    require_platform_admin(user)
    peer_url = _base_url(url)
    me = _identity_for(own_url, own_name)
    if peer_url == me.url:
        raise ValidationError({"url": [_("This is the address of this installation.")]})
    if Peer.objects.filter(url=peer_url, status=PeerStatus.PAIRED).exists():
        raise ValidationError({"url": [_("This installation is already paired.")]})
    answer = post(me, peer_url, "pair", {"url": me.url, "name": me.name, "public_key": me.public_key})
    with transaction.atomic():
        peer, _created = Peer.objects.update_or_create(
            url=peer_url,
            defaults={
                "status": PeerStatus.OUTGOING,
                "name": str(answer.get("name", ""))[:200],
                "public_key": "",
            },
        )
        _audit("pair_requested", peer, user)
    return peer


def received_pair_request(*, payload: dict[str, Any], body: bytes, timestamp: str, signature: str) -> Peer:
    """Store another installation's request to pair; its signature proves it holds the key it sent."""
    url = _base_url(str(payload.get("url", "")))
    public_key = str(payload.get("public_key", ""))
    signing.verify(public_key, "POST", f"{PROTOCOL}pair", body, timestamp, signature)
    with transaction.atomic():
        peer = Peer.objects.filter(url=url).first()
        if peer is not None and peer.status == PeerStatus.PAIRED:
            raise PermissionDenied("already paired")
        peer, _created = Peer.objects.update_or_create(
            url=url,
            defaults={
                "name": str(payload.get("name", ""))[:200],
                "public_key": public_key,
                "status": PeerStatus.INCOMING,
            },
        )
        _audit("pair_received", peer)
    return peer


def peer_accept(*, user: Any, peer: Peer) -> Peer:
    """Accept another installation's request to pair (after comparing its key's fingerprint)."""
    require_platform_admin(user)
    me = identity()
    if peer.status != PeerStatus.INCOMING or me is None:
        raise ValidationError(_("Only a request to pair that waits for you can be accepted."))
    post(me, peer.url, "accept", {"url": me.url, "name": me.name, "public_key": me.public_key})
    with transaction.atomic():
        peer.status = PeerStatus.PAIRED
        peer.paired_at = timezone.now()
        peer.save(update_fields=["status", "paired_at"])
        _audit("paired", peer, user)
    return peer


def received_accept(*, payload: dict[str, Any], body: bytes, timestamp: str, signature: str) -> Peer:
    url = _base_url(str(payload.get("url", "")))
    public_key = str(payload.get("public_key", ""))
    signing.verify(public_key, "POST", f"{PROTOCOL}accept", body, timestamp, signature)
    with transaction.atomic():
        peer = Peer.objects.select_for_update().filter(url=url, status=PeerStatus.OUTGOING).first()
        if peer is None:
            raise PermissionDenied("no request to pair with this installation")
        peer.public_key = public_key
        peer.name = str(payload.get("name", ""))[:200] or peer.name
        peer.status = PeerStatus.PAIRED
        peer.paired_at = timezone.now()
        peer.save(update_fields=["public_key", "name", "status", "paired_at"])
        _audit("paired", peer)
    return peer


def peer_unpair(*, user: Any, peer: Peer) -> Peer:
    """End the pairing at once on this side, then tell the other installation (best effort)."""
    require_platform_admin(user)
    with transaction.atomic():
        was_paired = peer.status == PeerStatus.PAIRED
        peer.status = PeerStatus.UNPAIRED
        peer.unpaired_at = timezone.now()
        peer.save(update_fields=["status", "unpaired_at"])
        _audit("unpaired", peer, user)
    me = identity()
    if was_paired and me is not None:
        try:
            post(me, peer.url, "unpair", {"url": me.url})
        except FederationError:
            logger.warning("could not tell installation %s that it was unpaired", peer.pk)
    return peer


def paired_sender(*, sender_url: str, path: str, body: bytes, timestamp: str, signature: str) -> Peer:
    """The paired installation that signed this request, or PermissionDenied."""
    peer = Peer.objects.filter(url=sender_url.rstrip("/"), status=PeerStatus.PAIRED).first()
    if peer is None:
        raise PermissionDenied("not a paired installation")
    signing.verify(peer.public_key, "POST", path, body, timestamp, signature)
    return peer


def received_unpair(*, peer: Peer) -> None:
    with transaction.atomic():
        peer.status = PeerStatus.UNPAIRED
        peer.unpaired_at = timezone.now()
        peer.save(update_fields=["status", "unpaired_at"])
        _audit("unpaired_by_peer", peer)


# ---- private set intersection -------------------------------------------------------------


def _participating_organisations() -> list[int]:
    return list(
        CollaborationSettings.objects.filter(match_notices=True).values_list("organisation_id", flat=True)
    )


def identifiers_of(organisation_ids: list[int]) -> dict[str, list[tuple[int, str, int]]]:
    """``kind:key`` → [(organisation, record type, record id)] of these organisations' identifiers."""
    held: dict[str, list[tuple[int, str, int]]] = {}
    mentions = (
        Mention.objects.filter(
            organisation_id__in=organisation_ids, entity__kind__in=IDENTIFIER_KINDS, entity__is_stop=False
        )
        .select_related("entity")
        .order_by("pk")
    )
    for mention in mentions:
        entity: Entity = mention.entity
        for key in identifier_keys([(entity.kind, entity.value)]):
            assert mention.organisation_id is not None
            held.setdefault(key, []).append((mention.organisation_id, mention.record_type, mention.record_id))
    return held


def _records_of(keys: list[str], held: dict[str, list[tuple[int, str, int]]]) -> set[tuple[str, int]]:
    return {(record_type, record_id) for key in keys for _org, record_type, record_id in held.get(key, [])}


def _type_counts(records: set[tuple[str, int]]) -> dict[str, int]:
    return dict(Counter(record_type for record_type, _id in records))


def _store_match(
    *,
    peer: Peer,
    organisation_id: int,
    keys: list[str],
    held: dict[str, list[tuple[int, str, int]]],
    other: str,
    other_counts: dict[str, int],
    reference: str,
    asked_here: bool,
) -> FederatedMatch:
    """This side's match and its collaboration match notice (own records only), audited and notified."""
    records = {
        (record_type, record_id)
        for key in keys
        for org, record_type, record_id in held.get(key, [])
        if org == organisation_id
    }
    kinds = Counter(key.split(":", 1)[0] for key in keys)
    ordered = sorted(records)
    notice = MatchNotice.objects.create(
        organisation_id=organisation_id,
        other_organisation=None,
        other_installation=other[:200],
        trigger_type=ordered[0][0],
        trigger_id=ordered[0][1],
        is_trigger_side=asked_here,
        own_records=[{"type": record_type, "id": record_id} for record_type, record_id in ordered],
        other_counts=other_counts,
        kinds=sorted(kinds),
    )
    match = FederatedMatch.objects.create(
        organisation_id=organisation_id,
        peer=peer,
        asked_here=asked_here,
        kinds=dict(kinds),
        records=[list(record) for record in ordered],
        reference=reference,
        notice=notice,
    )
    audit_record(
        action="collaboration.match_notice", organisation=notice.organisation, target=notice,
        detail={"installation": peer.pk, "kinds": notice.kinds, "records": len(ordered)},
    )  # fmt: skip
    Notification.objects.create(
        organisation_id=organisation_id,
        action="notice.view",
        kind=NotificationKind.MATCH_NOTICE,
        url=reverse("sharing:remote_notice", args=[notice.pk]),
    )
    return match


def _clean_counts(value: Any) -> dict[str, int]:
    if not isinstance(value, dict):
        return {}
    return {
        str(kind): int(count)
        for kind, count in value.items()
        if kind in RecordType.values and isinstance(count, int) and 0 <= count <= 1_000_000
    }


def psi_query(*, actor: Actor, peer: Peer) -> FederatedMatch | None:
    """Which of the actor's organisation's identifiers the paired installation holds.

    Needs ``notice.respond`` and the organisation taking part in match notices. Returns the stored
    match (None when nothing matched).
    """
    actor.require("notice.respond")
    assert actor.organisation is not None
    if actor.organisation.pk not in _participating_organisations():
        raise PermissionDenied("the organisation does not take part in match notices")
    me = identity()
    if peer.status != PeerStatus.PAIRED or me is None:
        raise ValidationError(_("This installation is not paired."))
    held = identifiers_of([actor.organisation.pk])
    client = PsiClient(sorted(held))
    request = client.request()
    answer = post(
        me, peer.url, "psi", {"request": base64.b64encode(request).decode(), "size": len(client.items)}
    )
    matched = client.intersection(
        ServerAnswer(setup=base64.b64decode(answer["setup"]), response=base64.b64decode(answer["response"]))
    )
    audit_record(
        action="sharing.federation_psi_asked", actor=actor, target=peer,
        detail={"asked": len(client.items), "matched": len(matched), "other_side_size": answer.get("size")},
    )  # fmt: skip
    if not matched:
        return None
    # Which of our records hold each matching key, as opaque numbers: the other side counts records
    # exactly (one record may hold several keys) without learning which.
    numbers = {record: n for n, record in enumerate(sorted(_records_of(matched, held)))}
    mine = {
        key: sorted(
            {(record_type, numbers[(record_type, record_id)]) for _o, record_type, record_id in held[key]}
        )
        for key in matched
    }
    reply = post(me, peer.url, "matched", {"records": mine})
    wanted = set(matched)
    stored: list[FederatedMatch] = []
    with transaction.atomic():
        for entry in reply.get("matches", []):
            keys = [key for key in entry.get("keys", []) if key in wanted]
            if not keys or not isinstance(entry.get("reference"), str):
                continue
            stored.append(
                _store_match(
                    peer=peer,
                    organisation_id=actor.organisation.pk,
                    keys=keys,
                    held=held,
                    other=_("%(organisation)s at %(installation)s")
                    % {"organisation": str(entry.get("organisation", ""))[:100], "installation": peer},
                    other_counts=_clean_counts(entry.get("counts")),
                    reference=entry["reference"][:36],
                    asked_here=True,
                )
            )
    return stored[0] if stored else None


def psi_answer(*, peer: Peer, payload: dict[str, Any]) -> dict[str, Any]:
    """Answer a paired installation's PSI request with this installation's participating identifiers."""
    held = identifiers_of(_participating_organisations())
    size = int(payload.get("size", 0))
    if not 0 <= size <= 1_000_000:
        raise PermissionDenied("request too large")
    answer = PsiServer(sorted(held)).answer(
        base64.b64decode(str(payload.get("request", ""))), client_size=size
    )
    audit_record(
        action="sharing.federation_psi_answered", organisation=None, target=peer,
        detail={"their_size": size, "our_size": len(held)},
    )  # fmt: skip
    return {
        "setup": base64.b64encode(answer.setup).decode(),
        "response": base64.b64encode(answer.response).decode(),
        "size": len(held),
    }


def psi_matched(*, peer: Peer, payload: dict[str, Any]) -> dict[str, Any]:
    """Record the intersection the other side found, one match notice per organisation here.

    Keys this side does not hold are ignored. The answer names, per organisation, the keys it holds
    (which the other side already knows), its record counts and the reference of the match.
    """
    held = identifiers_of(_participating_organisations())
    theirs = payload.get("records", {})
    if not isinstance(theirs, dict):
        raise ValidationError("records")
    matched = [key for key in theirs if isinstance(key, str) and key in held]
    by_organisation: dict[int, list[str]] = {}
    for key in matched:
        for organisation_id in sorted({org for org, _type, _id in held[key]}):
            by_organisation.setdefault(organisation_id, []).append(key)
    answer: list[dict[str, Any]] = []
    with transaction.atomic():
        for organisation_id, keys in sorted(by_organisation.items()):
            their_records = {
                (str(row[0]), str(row[1]))
                for key in keys
                for row in theirs[key]
                if isinstance(row, list) and len(row) == 2
            }
            other_counts = _clean_counts(dict(Counter(kind for kind, _n in their_records)))
            match = _store_match(
                peer=peer, organisation_id=organisation_id, keys=keys, held=held,
                other=str(peer), other_counts=other_counts, reference=str(uuid.uuid4()), asked_here=False,
            )  # fmt: skip
            own = {(record_type, record_id) for record_type, record_id in match.records}
            answer.append(
                {
                    "reference": match.reference,
                    "organisation": match.organisation.name,
                    "keys": keys,
                    "counts": _type_counts(own),
                }
            )
        audit_record(
            action="sharing.federation_psi_matched",
            organisation=None,
            target=peer,
            detail={"matched": len(matched)},
        )
    return {"matches": answer}
