"""Access requests from federated match notices, decided on the other installation.

A PSI match writes a collaboration ``MatchNotice`` on both sides (``federation._store_match``),
linked by a shared reference. From its notice a user of the asking organisation requests access
(``remote_access_request``); the request travels signed to the other installation, where a
supervisor of the organisation whose records matched grants or declines it
(``remote_access_decide``) exactly as inside one installation. A grant sends the de-identified
views of that organisation's matching reports and cases (the ``collaboration`` shared view at the
de-identified level — never names, contacts or narratives); the asking side keeps them encrypted
and shows them only while the two installations stay paired. Every step is audited on both sides.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from safeguard.accounts.access import Actor
from safeguard.collaboration import selectors as collaboration_selectors
from safeguard.collaboration.models import (
    ItemType,
    MatchNotice,
    NoticeStatus,
    Notification,
    NotificationKind,
    Purpose,
    RecordType,
    Share,
    ShareLevel,
)
from safeguard.core.audit import audit_record
from safeguard.sharing import federation
from safeguard.sharing.models import (
    FederatedMatch,
    Peer,
    PeerStatus,
    RemoteAccessRequest,
    RemoteAccessStatus,
)

MAX_VIEWS = 200


def match_of(actor: Actor, notice_id: int) -> FederatedMatch:
    """The federated match behind one of the actor's organisation's notices, or 404."""
    actor.require("notice.view")
    match = (
        FederatedMatch.objects.select_related("peer", "notice")
        .filter(notice_id=notice_id, organisation=actor.organisation)
        .first()
    )
    if match is None or actor.organisation is None:
        raise Http404("notice")
    return match


def received_views(match: FederatedMatch) -> list[dict[str, Any]]:
    """What a granted request brought, while the two installations are paired (else nothing)."""
    request = RemoteAccessRequest.objects.filter(match=match, outgoing=True).first()
    if request is None or request.status != RemoteAccessStatus.GRANTED or not _is_paired(match.peer_id):
        return []
    views: list[dict[str, Any]] = json.loads(request.received or "[]")
    return views


def _is_paired(peer_id: int) -> bool:
    """Read now, not from a cached row: unpairing takes effect at once."""
    return Peer.objects.filter(pk=peer_id, status=PeerStatus.PAIRED).exists()


def _paired(peer: Peer) -> None:
    if not _is_paired(peer.pk):
        raise ValidationError(_("This installation is not paired any more."))


def _set_notice(match: FederatedMatch, status: str) -> None:
    if match.notice is not None:
        match.notice.status = status
        match.notice.save(update_fields=["status"])


def remote_access_request(
    *, actor: Actor, match: FederatedMatch, purpose: str, note: str
) -> RemoteAccessRequest:
    """Ask the other installation for the records behind a federated notice."""
    actor.require("notice.view")
    if actor.organisation is None or match.organisation_id != actor.organisation.pk:
        raise PermissionDenied("only the notice's organisation requests access")
    _paired(match.peer)
    if match.notice is None or match.notice.status != NoticeStatus.OPEN or hasattr(match, "access_request"):
        raise ValidationError(_("Access was already requested for this notice."))
    if purpose not in Purpose.values:
        raise ValidationError({"purpose": [_("Choose a purpose.")]})
    if not note.strip():
        raise ValidationError({"note": [_("Say why you need access (no personal data).")]})
    me = federation.identity()
    assert me is not None  # paired installations have an identity
    federation.post(
        me,
        match.peer.url,
        "access",
        {"reference": match.reference, "purpose": purpose, "note": note.strip()[:500]},
    )
    with transaction.atomic():
        request = RemoteAccessRequest.objects.create(
            match=match, outgoing=True, purpose=purpose, note=note.strip()[:500], requested_by=actor.user
        )
        _set_notice(match, NoticeStatus.REQUESTED)
        audit_record(
            action="sharing.federation_access_requested", actor=actor, target=request,
            detail={"notice": match.notice_id, "installation": match.peer_id, "purpose": purpose},
        )  # fmt: skip
    return request


def _match_for(peer: Peer, payload: dict[str, Any]) -> FederatedMatch:
    reference = payload.get("reference")
    match = (
        FederatedMatch.objects.select_related("notice", "organisation")
        .filter(peer=peer, reference=reference if isinstance(reference, str) else "")
        .exclude(reference="")
        .first()
    )
    if match is None:
        raise PermissionDenied("no such match")
    return match


def received_access_request(*, peer: Peer, payload: dict[str, Any]) -> dict[str, Any]:
    """The other installation asks for the records behind our side of a match."""
    match = _match_for(peer, payload)
    purpose, note = payload.get("purpose"), str(payload.get("note", "")).strip()[:500]
    if purpose not in Purpose.values or not note:
        raise ValidationError("purpose and note")
    if hasattr(match, "access_request"):
        raise PermissionDenied("already requested")
    with transaction.atomic():
        request = RemoteAccessRequest.objects.create(match=match, outgoing=False, purpose=purpose, note=note)
        _set_notice(match, NoticeStatus.REQUESTED)
        audit_record(
            action="sharing.federation_access_requested", organisation=match.organisation, target=request,
            detail={"notice": match.notice_id, "installation": peer.pk, "purpose": purpose},
        )  # fmt: skip
        Notification.objects.create(
            organisation=match.organisation,
            action="notice.respond",
            kind=NotificationKind.ACCESS_REQUESTED,
            url=reverse("sharing:remote_notice", args=[match.notice_id]) if match.notice_id else "",
        )
    return {}


def _views_of(match: FederatedMatch) -> list[dict[str, Any]]:
    views: list[dict[str, Any]] = []
    for record_type, record_id in match.records[:MAX_VIEWS]:
        if record_type not in (RecordType.REPORT, RecordType.CASE):
            continue
        item = Share(
            item_type=ItemType.REPORT if record_type == RecordType.REPORT else ItemType.CASE,
            item_id=int(record_id),
            organisation_id=match.organisation_id,
        )
        view = collaboration_selectors.shared_view(item, ShareLevel.DEIDENTIFIED)
        if view is not None:
            views.append(view.as_dict())
    return views


def remote_access_decide(
    *, actor: Actor, access_request: RemoteAccessRequest, grant: bool, reason: str = ""
) -> RemoteAccessRequest:
    """A supervisor of the organisation whose records matched grants (de-identified) or declines."""
    actor.require("notice.respond")
    match = access_request.match
    if (
        actor.organisation is None
        or match.organisation_id != actor.organisation.pk
        or access_request.outgoing
    ):
        raise PermissionDenied("only the organisation asked decides")
    if access_request.status != RemoteAccessStatus.PENDING:
        raise ValidationError(_("This request is already decided."))
    _paired(match.peer)
    if not grant and not reason.strip():
        raise ValidationError({"decline_reason": [_("Give the reason for declining.")]})
    views = _views_of(match) if grant else []
    if grant and not views:
        raise ValidationError(
            _("None of the matching records can be shared (online ads are shared as ad clusters).")
        )
    me = federation.identity()
    assert me is not None
    federation.post(
        me, match.peer.url, "decided",
        {"reference": match.reference, "granted": grant, "reason": reason.strip()[:2000], "views": views},
    )  # fmt: skip
    with transaction.atomic():
        access_request.status = RemoteAccessStatus.GRANTED if grant else RemoteAccessStatus.DECLINED
        access_request.decided_by = actor.user
        access_request.decided_at = timezone.now()
        access_request.decline_reason = "" if grant else reason.strip()
        access_request.save(update_fields=["status", "decided_by", "decided_at", "decline_reason"])
        _set_notice(match, NoticeStatus.GRANTED if grant else NoticeStatus.DECLINED)
        audit_record(
            action="sharing.federation_access_granted" if grant else "sharing.federation_access_declined",
            actor=actor, target=access_request,
            detail={"notice": match.notice_id, "installation": match.peer_id, "records": len(views)},
        )  # fmt: skip
    return access_request


def _clean_view(view: Any) -> dict[str, Any] | None:
    if not isinstance(view, dict) or view.get("level") != ShareLevel.DEIDENTIFIED:
        return None
    facts = view.get("facts", [])
    if not isinstance(facts, list):
        return None
    return {
        "title": str(view.get("title", ""))[:200],
        "level": ShareLevel.DEIDENTIFIED,
        "facts": [
            [str(f[0])[:100], str(f[1])[:500]] for f in facts[:30] if isinstance(f, list) and len(f) == 2
        ],
    }


def received_decision(*, peer: Peer, payload: dict[str, Any]) -> dict[str, Any]:
    """The other installation decided our request: keep what it sent (encrypted), tell the asker."""
    match = _match_for(peer, payload)
    request = RemoteAccessRequest.objects.filter(
        match=match, outgoing=True, status=RemoteAccessStatus.PENDING
    ).first()
    if request is None:
        raise PermissionDenied("no request waiting")
    granted = payload.get("granted") is True
    raw = payload.get("views", [])
    views = [
        v for v in (_clean_view(view) for view in (raw if isinstance(raw, list) else [])[:MAX_VIEWS]) if v
    ]
    with transaction.atomic():
        request.status = RemoteAccessStatus.GRANTED if granted else RemoteAccessStatus.DECLINED
        request.decided_at = timezone.now()
        request.decline_reason = "" if granted else str(payload.get("reason", ""))[:2000]
        request.received = json.dumps(views) if granted else ""
        request.save(update_fields=["status", "decided_at", "decline_reason", "received"])
        _set_notice(match, NoticeStatus.GRANTED if granted else NoticeStatus.DECLINED)
        audit_record(
            action="sharing.federation_access_granted" if granted else "sharing.federation_access_declined",
            organisation=match.organisation, target=request,
            detail={"notice": match.notice_id, "installation": peer.pk, "records": len(views)},
        )  # fmt: skip
        Notification.objects.create(
            organisation=match.organisation,
            action="notice.view",
            kind=NotificationKind.ACCESS_DECIDED,
            url=reverse("sharing:remote_notice", args=[match.notice_id]) if match.notice_id else "",
        )
    return {}


def notice_page(match: FederatedMatch) -> tuple[MatchNotice | None, RemoteAccessRequest | None]:
    return match.notice, RemoteAccessRequest.objects.filter(match=match).first()
