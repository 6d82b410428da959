"""Referrals of a case to an organisation of a paired installation (hand-overs).

The sending side (``handover_send``): a caseworker or supervisor who may edit the case, with a
consent in force whose scope is sharing with another installation, sends the case's HTCDS record
(``cases.htcds.case_row``) sealed for the receiving installation (``sealing``: X25519 with a
per-message ephemeral key, ChaCha20-Poly1305) inside a request signed with this installation's
Ed25519 identity (``signing``). The receiver checks the signature against the key stored at
pairing, opens the record, keeps it encrypted at rest and shows it to the named organisation's
staff as an incoming referral. Its answer (``handover_decide``: accepted or declined) travels back
signed. Every step is audited on both sides; an unpaired installation is refused at once.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safeguard.accounts.access import Actor
from safeguard.accounts.models import Organisation
from safeguard.cases.access import require_case_in_reach
from safeguard.cases.htcds import case_row
from safeguard.cases.models import Case, Consent, ConsentScope
from safeguard.cases.services.closure import require_open
from safeguard.core.audit import audit_record
from safeguard.sharing import federation, sealing
from safeguard.sharing.models import Handover, HandoverStatus, InstallationIdentity, Peer, PeerStatus

MAX_SUMMARY = 2000


def box_key(me: InstallationIdentity) -> str:
    """This installation's X25519 public key, made the first time it is needed."""
    if not me.box_public_key:
        me.box_private_key = sealing.new_private_key()
        me.box_public_key = sealing.public_key_of(me.box_private_key)
        me.save(update_fields=["box_private_key", "box_public_key"])
    return me.box_public_key


def _context(reference: str, receiver_url: str, organisation: str) -> bytes:
    return f"{reference}\n{receiver_url}\n{organisation}".encode()


def _paired(peer: Peer) -> None:
    if not Peer.objects.filter(pk=peer.pk, status=PeerStatus.PAIRED).exists():
        raise ValidationError(_("This installation is not paired any more."))


def _consent_for(case: Case) -> Consent:
    consent = case.consents.in_force().filter(scope=ConsentScope.SHARE_INSTALLATION).first()
    if consent is None:
        raise ValidationError(
            _(
                "No consent in force covers sharing this case with an organisation of another "
                "installation. Record that consent first."
            )
        )
    return consent


def handover_send(*, actor: Actor, case: Case, peer: Peer, organisation: str, summary: str) -> Handover:
    """Refer ``case`` to the organisation (its slug) of the paired installation ``peer``."""
    require_case_in_reach(actor, case, "case.edit")
    require_open(case)
    _paired(peer)
    consent = _consent_for(case)
    slug = organisation.strip()
    if not slug:
        raise ValidationError({"organisation": [_("Name the organisation of the other installation.")]})
    if not summary.strip():
        raise ValidationError({"summary": [_("Say what you ask of the other organisation.")]})
    me = federation.identity()
    assert me is not None  # paired installations have an identity
    receiver_key = str(federation.post(me, peer.url, "handover_key", {}).get("box_public_key", ""))
    reference = uuid.uuid4().hex
    assert actor.organisation is not None  # require_case_in_reach needs one
    summary = summary.strip()[:MAX_SUMMARY]
    message = {
        "record": case_row(case),
        "summary": summary,
        "from_organisation": actor.organisation.name,
    }
    try:
        sealed = sealing.seal(receiver_key, json.dumps(message).encode(), _context(reference, peer.url, slug))
    except ValueError as error:
        raise federation.FederationError(_("The other installation sent no usable key.")) from error
    federation.post(
        me, peer.url, "handover",
        {"reference": reference, "organisation": slug, "sender_url": me.url, "sealed": sealed},
    )  # fmt: skip
    with transaction.atomic():
        handover = Handover.objects.create(
            peer=peer, outgoing=True, reference=reference, organisation=actor.organisation,
            other_organisation=slug[:200], case=case, consent=consent, summary=summary,
            sent_by=actor.user,
        )  # fmt: skip
        audit_record(
            action="sharing.handover_sent", actor=actor, target=handover,
            detail={"case": case.pk, "installation": peer.pk, "consent": consent.pk},
        )  # fmt: skip
    return handover


def key_answer() -> dict[str, Any]:
    me = federation.identity()
    if me is None:
        raise PermissionDenied("no identity")
    return {"box_public_key": box_key(me)}


def received_handover(*, peer: Peer, payload: dict[str, Any]) -> dict[str, Any]:
    """A paired installation refers a case to one of our organisations: open, check, keep."""
    me = federation.identity()
    reference, slug = payload.get("reference"), payload.get("organisation")
    if me is None or not me.box_private_key or not isinstance(reference, str) or not isinstance(slug, str):
        raise ValidationError("reference and organisation")
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None or not 0 < len(reference) <= 64:
        raise ValidationError("no such organisation")
    sealed = payload.get("sealed")
    try:
        opened = sealing.open_sealed(
            me.box_private_key, sealed if isinstance(sealed, dict) else {}, _context(reference, me.url, slug)
        )
        message = json.loads(opened)
    except (sealing.SealError, ValueError) as error:
        raise ValidationError("sealed") from error
    record = message.get("record") if isinstance(message, dict) else None
    if not isinstance(record, dict):
        raise ValidationError("record")
    if Handover.objects.filter(peer=peer, outgoing=False, reference=reference).exists():
        raise PermissionDenied("already received")
    with transaction.atomic():
        handover = Handover.objects.create(
            peer=peer, outgoing=False, reference=reference, organisation=organisation,
            other_organisation=str(message.get("from_organisation", ""))[:200],
            summary=str(message.get("summary", ""))[:MAX_SUMMARY],
            record=json.dumps({str(k)[:100]: str(v)[:2000] for k, v in record.items()}),
        )  # fmt: skip
        audit_record(
            action="sharing.handover_received", organisation=organisation, target=handover,
            detail={"installation": peer.pk},
        )  # fmt: skip
    return {}


def incoming_for(actor: Actor) -> list[Handover]:
    """The hand-overs the actor's organisation received, while their installation stays paired."""
    actor.require("case.view")
    return list(
        Handover.objects.filter(
            organisation=actor.organisation, outgoing=False, peer__status=PeerStatus.PAIRED
        ).select_related("peer")
    )


def handover_of(actor: Actor, handover_id: int) -> Handover:
    """One of the actor's organisation's hand-overs (either direction), or PermissionDenied."""
    actor.require("case.view")
    handover = Handover.objects.select_related("peer").filter(pk=handover_id).first()
    if handover is None or actor.organisation is None or handover.organisation_id != actor.organisation.pk:
        raise PermissionDenied("hand-over of another organisation")
    return handover


def record_of(handover: Handover) -> dict[str, str]:
    """The HTCDS record received, shown only while the sending installation stays paired."""
    if handover.outgoing or handover.peer.status != PeerStatus.PAIRED or not handover.record:
        return {}
    record: dict[str, str] = json.loads(handover.record)
    return record


def handover_decide(*, actor: Actor, handover: Handover, accept: bool, reason: str = "") -> Handover:
    """The receiving organisation's supervisor accepts or declines; the answer goes back signed."""
    actor.require("case.approve")
    if actor.organisation is None or handover.organisation_id != actor.organisation.pk or handover.outgoing:
        raise PermissionDenied("only the receiving organisation answers")
    if handover.status != HandoverStatus.SENT:
        raise ValidationError(_("This referral has already been answered."))
    if not accept and not reason.strip():
        raise ValidationError({"reason": [_("Say why the referral is declined.")]})
    _paired(handover.peer)
    me = federation.identity()
    assert me is not None
    federation.post(
        me, handover.peer.url, "handover_decided",
        {"reference": handover.reference, "accepted": accept, "reason": reason.strip()[:MAX_SUMMARY]},
    )  # fmt: skip
    with transaction.atomic():
        _decided(handover, accept, reason, actor.user)
        audit_record(
            action="sharing.handover_accepted" if accept else "sharing.handover_declined",
            actor=actor, target=handover, detail={"installation": handover.peer_id},
        )  # fmt: skip
    return handover


def _decided(handover: Handover, accept: bool, reason: str, user: Any) -> None:
    handover.status = HandoverStatus.ACCEPTED if accept else HandoverStatus.DECLINED
    handover.decided_by, handover.decided_at = user, timezone.now()
    handover.decline_reason = "" if accept else reason.strip()[:MAX_SUMMARY]
    handover.save(update_fields=["status", "decided_by", "decided_at", "decline_reason"])


def received_decision(*, peer: Peer, payload: dict[str, Any]) -> dict[str, Any]:
    """The receiving installation answered one of our hand-overs."""
    reference = payload.get("reference")
    handover = Handover.objects.filter(
        peer=peer, outgoing=True, reference=reference if isinstance(reference, str) else "",
        status=HandoverStatus.SENT,
    ).first()  # fmt: skip
    if handover is None:
        raise PermissionDenied("no hand-over waiting")
    accepted = payload.get("accepted") is True
    with transaction.atomic():
        _decided(handover, accepted, str(payload.get("reason", "")), None)
        audit_record(
            action="sharing.handover_accepted" if accepted else "sharing.handover_declined",
            organisation=handover.organisation, target=handover, detail={"installation": peer.pk},
        )  # fmt: skip
    return {}
