"""Referrals and transfers of a case to an organisation of a paired installation (hand-overs).

The sending side (``handover_send``): a caseworker or supervisor who may edit the case, with a
consent in force whose scope is sharing with another installation, sends the case's HTCDS record
(``cases.htcds.case_row``) sealed for the receiving installation (``sealing``: X25519 with a
per-message ephemeral key, ChaCha20-Poly1305) inside a request signed with this installation's
Ed25519 identity (``signing``). The receiver checks the signature against the key stored at
pairing, opens the record, keeps it encrypted at rest and shows it to the named organisation's
staff as an incoming referral. Its answer (``handover_decide``: accepted or declined) travels back
signed. Every step is audited on both sides; an unpaired installation is refused at once.

A transfer is a hand-over of kind ``transfer``, under the rules of a transfer inside one
installation: a reason, one pending transfer at a time, and consent (here: to sharing with
another installation) or a supervisor's override with its reason. On acceptance the receiving
supervisor's organisation opens a case from the record, in the same transaction as the signed
answer; the sender then closes its case as transferred, pointing at the receiving installation
and case, and the case is read-only from then on. Declined, the sender keeps the case and sees
the reason.
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
from safeguard.cases import htcds
from safeguard.cases.access import require_case_in_reach
from safeguard.cases.events import case_event
from safeguard.cases.models import (
    Case,
    CaseEventKind,
    CaseStatus,
    ClosureReason,
    Consent,
    ConsentScope,
    Task,
    TransferStatus,
)
from safeguard.cases.services.closure import require_open
from safeguard.core.audit import audit_record
from safeguard.sharing import federation, sealing
from safeguard.sharing.models import (
    Handover,
    HandoverKind,
    HandoverStatus,
    InstallationIdentity,
    Peer,
    PeerStatus,
)

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


def _action(handover: Handover, verb: str) -> str:
    """The audit action: ``sharing.handover_<verb>`` for a referral, ``sharing.transfer_<verb>``."""
    return f"sharing.{'transfer' if handover.kind == HandoverKind.TRANSFER else 'handover'}_{verb}"


def _consent_for(actor: Actor, case: Case, override_reason: str) -> Consent | None:
    """The consent to sharing with another installation; without one, a supervisor's override (a
    transfer only: a referral passes no ``override_reason``)."""
    consent = case.consents.in_force().filter(scope=ConsentScope.SHARE_INSTALLATION).first()
    if consent is not None:
        return consent
    if not override_reason.strip():
        raise ValidationError(
            _(
                "No consent in force covers sharing this case with an organisation of another "
                "installation. Record that consent first."
            )
        )
    if not actor.can("case.override_consent"):
        raise PermissionDenied("only a supervisor may share without consent")
    return None


def _no_pending_transfer(case: Case) -> None:
    pending = Handover.objects.filter(
        case=case, outgoing=True, kind=HandoverKind.TRANSFER, status=HandoverStatus.SENT
    )
    if pending.exists() or case.transfers.filter(status=TransferStatus.PENDING).exists():
        raise ValidationError(_("A transfer of this case is already awaiting an answer."))


def handover_send(
    *,
    actor: Actor,
    case: Case,
    peer: Peer,
    organisation: str,
    summary: str,
    kind: str = HandoverKind.REFERRAL,
    override_reason: str = "",
) -> Handover:
    """Refer or transfer ``case`` to the organisation (its slug) of the paired installation ``peer``.

    ``summary`` is what is asked (a referral) or the reason (a transfer); only a transfer may go
    without consent, on a supervisor's ``override_reason``."""
    require_case_in_reach(actor, case, "case.edit")
    require_open(case)
    _paired(peer)
    transfer = kind == HandoverKind.TRANSFER
    if transfer:
        _no_pending_transfer(case)
    consent = _consent_for(actor, case, override_reason if transfer else "")
    slug = organisation.strip()
    if not slug:
        raise ValidationError({"organisation": [_("Name the organisation of the other installation.")]})
    if not summary.strip():
        if transfer:
            raise ValidationError({"summary": [_("Give the reason for the transfer.")]})
        raise ValidationError({"summary": [_("Say what you ask of the other organisation.")]})
    me = federation.identity()
    assert me is not None  # paired installations have an identity
    receiver_key = str(federation.post(me, peer.url, "handover_key", {}).get("box_public_key", ""))
    reference = uuid.uuid4().hex
    assert actor.organisation is not None  # require_case_in_reach needs one
    summary = summary.strip()[:MAX_SUMMARY]
    handover_kind = HandoverKind.TRANSFER if transfer else HandoverKind.REFERRAL
    message = {
        "kind": handover_kind,
        "record": htcds.case_row(case),
        "summary": summary,
        "from_organisation": actor.organisation.name,
        "with_consent": consent is not None,
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
            sent_by=actor.user, kind=handover_kind,
            override_reason="" if consent else override_reason.strip()[:MAX_SUMMARY],
        )  # fmt: skip
        audit_record(
            action=_action(handover, "sent"), actor=actor, target=handover,
            detail={"case": case.pk, "installation": peer.pk, "consent": consent.pk if consent else None},
        )  # fmt: skip
        if transfer:
            case_event(
                case=case, kind=CaseEventKind.TRANSFER_REQUESTED, actor=actor,
                detail={"handover_id": handover.pk, "installation": peer.pk, "override": consent is None},
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
    kind = message.get("kind") if message.get("kind") in HandoverKind.values else HandoverKind.REFERRAL
    with transaction.atomic():
        handover = Handover.objects.create(
            peer=peer, outgoing=False, reference=reference, organisation=organisation, kind=kind,
            other_organisation=str(message.get("from_organisation", ""))[:200],
            summary=str(message.get("summary", ""))[:MAX_SUMMARY],
            record=json.dumps({str(k)[:100]: str(v)[:2000] for k, v in record.items()}),
        )  # fmt: skip
        audit_record(
            action=_action(handover, "received"), organisation=organisation, target=handover,
            detail={"installation": peer.pk, "with_consent": message.get("with_consent") is not False},
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
    """The receiving organisation's supervisor accepts or declines; the answer goes back signed.

    Accepting a transfer opens the case here, owned by the supervisor; the case, the answer and
    its audit event are one transaction that the signed answer ends, so a refused or unreachable
    sender leaves nothing behind."""
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
    with transaction.atomic():
        opened = _open_case(actor, handover) if accept and handover.kind == HandoverKind.TRANSFER else None
        _decided(handover, accept, reason, actor.user)
        audit_record(
            action=_action(handover, "accepted" if accept else "declined"), actor=actor, target=handover,
            detail={"installation": handover.peer_id, "case": opened.pk if opened else None},
        )  # fmt: skip
        federation.post(
            me, handover.peer.url, "handover_decided",
            {"reference": handover.reference, "accepted": accept, "reason": reason.strip()[:MAX_SUMMARY],
             "case_reference": opened.reference if opened else ""},
        )  # fmt: skip
    return handover


def _open_case(actor: Actor, handover: Handover) -> Case:
    """The case a transfer becomes here, from the HTCDS record received, in the actor's organisation."""
    report = htcds.validate_rows([json.loads(handover.record or "{}")])
    if report.errors:
        raise ValidationError(
            _("The record received cannot be opened as a case: %(errors)s")
            % {"errors": "; ".join(f"{error.field}: {error.reason}" for error in report.errors)}
        )
    case = htcds.register_row(actor=actor, row=report.valid[0][1])
    case_event(
        case=case, kind=CaseEventKind.TRANSFERRED, actor=actor,
        detail={"handover_id": handover.pk, "installation": handover.peer_id},
    )  # fmt: skip
    handover.case = case
    handover.save(update_fields=["case"])
    return case


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
        if handover.kind == HandoverKind.TRANSFER and handover.case is not None:
            if accepted:
                _close_transferred(handover, str(payload.get("case_reference", ""))[:24])
            else:
                case_event(
                    case=handover.case, kind=CaseEventKind.TRANSFER_DECLINED, actor=None,
                    detail={"handover_id": handover.pk, "installation": peer.pk},
                )  # fmt: skip
        audit_record(
            action=_action(handover, "accepted" if accepted else "declined"),
            organisation=handover.organisation, target=handover, detail={"installation": peer.pk},
        )  # fmt: skip
    return {}


def _close_transferred(handover: Handover, case_reference: str) -> None:
    """The sender's case, once the other installation accepted it: closed as transferred, read-only."""
    case = handover.case
    assert case is not None
    handover.other_case_reference = case_reference
    handover.save(update_fields=["other_case_reference"])
    case.status, case.closure_reason_code, case.closed_at = (
        CaseStatus.TRANSFERRED,
        ClosureReason.TRANSFERRED,
        timezone.now(),
    )
    case.closure_reason = _(
        "Transferred to %(organisation)s at the installation %(installation)s (%(url)s), "
        "its case %(reference)s."
    ) % {
        "organisation": handover.other_organisation,
        "installation": handover.peer,
        "url": handover.peer.url,
        "reference": case_reference or "?",
    }
    case.save(update_fields=["status", "closure_reason_code", "closed_at", "closure_reason", "updated_at"])
    Task.objects.pending().filter(case=case).update(done_at=case.closed_at)
    case_event(
        case=case, kind=CaseEventKind.TRANSFERRED, actor=None,
        detail={"handover_id": handover.pk, "installation": handover.peer_id},
    )  # fmt: skip
