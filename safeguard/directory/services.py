"""Writes for the service directory and the public hotline numbers.

Each service checks the actor's permission itself, and that a service belongs to the actor's
organisation, so nobody edits another's listing. Public numbers are written by platform admins;
an organisation proposes its own, and they go public only when a platform admin approves them
(decision 091)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safeguard.accounts.access import Actor, require_platform_admin
from safeguard.accounts.models import User
from safeguard.core.audit import audit_record
from safeguard.directory.models import HOTLINE_FIELDS, Hotline, HotlineProposal, Service, pack_codes

EDITABLE_FIELDS = (
    "kind",
    "name",
    "description",
    "coverage",
    "languages",
    "min_age",
    "max_age",
    "genders",
    "capacity",
    "contact_name",
    "contact_phone",
    "contact_email",
    "is_active",
)


def _normalise(values: dict[str, Any]) -> dict[str, Any]:
    values = dict(values)
    for name, upper in (("coverage", True), ("languages", False), ("genders", None)):
        raw = values.get(name)
        if isinstance(raw, str):
            raw = raw.replace(";", ",").split(",")
        if raw is not None:
            codes = [code.strip() for code in raw]
            if upper is True:
                codes = [code.upper() for code in codes]
            elif upper is False:
                codes = [code.lower() for code in codes]
            values[name] = pack_codes(codes)
    return values


@transaction.atomic
def service_create(*, actor: Actor, **values: Any) -> Service:
    """List a new service of the actor's organisation; audited."""
    actor.require("directory.manage")
    values = _normalise(values)
    service = Service(
        provider=actor.organisation, **{k: v for k, v in values.items() if k in EDITABLE_FIELDS}
    )
    service.full_clean()
    service.save()
    audit_record(
        action="directory.service_created", actor=actor.user, organisation=actor.organisation, target=service
    )
    return service


@transaction.atomic
def service_update(*, actor: Actor, service: Service, **values: Any) -> Service:
    """Change a service of the actor's organisation; audited with the names of changed fields."""
    actor.require("directory.manage")
    if service.provider_id != getattr(actor.organisation, "pk", None):
        raise PermissionDenied("service of another organisation")
    values = _normalise(values)
    changed = [name for name in EDITABLE_FIELDS if name in values and getattr(service, name) != values[name]]
    for name in changed:
        setattr(service, name, values[name])
    service.full_clean()
    service.save(update_fields=[*changed, "updated_at"])
    audit_record(
        action="directory.service_updated",
        actor=actor.user,
        organisation=actor.organisation,
        target=service,
        detail={"fields": changed},
    )
    return service


def _hotline_audit(action: str, *, actor: Any, organisation: Any, target: Any, **detail: Any) -> None:
    audit_record(action=action, actor=actor, organisation=organisation, target=target, detail=detail)


@transaction.atomic
def hotline_save(*, hotline: Hotline, actor: User) -> Hotline:
    """Create or change a public emergency or hotline number; platform admins only, audited
    platform-wide (and in the organisation's log when the entry is an organisation's)."""
    require_platform_admin(actor)
    created = hotline.pk is None
    hotline.country = hotline.country.upper()
    hotline.full_clean()
    hotline.save()
    _hotline_audit(
        "hotline.created" if created else "hotline.changed",
        actor=actor,
        organisation=hotline.organisation,
        target=hotline,
        country=hotline.country,
    )
    return hotline


@transaction.atomic
def hotline_delete(*, hotline: Hotline, actor: User) -> None:
    """Remove a public number; platform admins only. The audit event keeps its country."""
    require_platform_admin(actor)
    _hotline_audit(
        "hotline.deleted",
        actor=actor,
        organisation=hotline.organisation,
        target=hotline,
        country=hotline.country,
    )
    hotline.delete()


@transaction.atomic
def hotline_propose(
    *,
    actor: Actor,
    values: dict[str, Any] | None = None,
    hotline: Hotline | None = None,
    delete: bool = False,
) -> HotlineProposal:
    """Propose a new public number of the actor's organisation, or a change or the removal of one
    of its own entries. Nothing is public until a platform admin approves it."""
    actor.require("hotline.propose")
    if hotline is not None and (
        actor.organisation is None or hotline.organisation_id != actor.organisation.pk
    ):
        raise PermissionDenied("public number of another organisation or of the platform")
    if hotline is not None and hotline.proposals.filter(status=HotlineProposal.Status.PENDING).exists():
        raise ValidationError(_("A change of this entry is already waiting for review."))
    change = (
        HotlineProposal.Change.CREATE
        if hotline is None
        else HotlineProposal.Change.DELETE
        if delete
        else HotlineProposal.Change.UPDATE
    )
    current = {name: getattr(hotline, name) for name in HOTLINE_FIELDS} if hotline else {}
    fields = {**current, **{k: v for k, v in (values or {}).items() if k in HOTLINE_FIELDS}}
    if delete:
        fields = current
    fields["country"] = str(fields.get("country", "")).upper()
    proposal = HotlineProposal(
        organisation=actor.organisation, hotline=hotline, change=change, proposed_by=actor.user, **fields
    )
    proposal.full_clean()
    proposal.save()
    _hotline_audit(
        "hotline.proposed", actor=actor, organisation=actor.organisation, target=proposal,
        change=change, country=proposal.country, hotline=hotline.pk if hotline else None,
    )  # fmt: skip
    return proposal


@transaction.atomic
def hotline_proposal_review(
    *, proposal: HotlineProposal, actor: User, approve: bool, reason: str = ""
) -> HotlineProposal:
    """A platform admin approves a proposal (its values become public) or rejects it with a
    reason the organisation reads. Audited in the organisation's log and platform-wide."""
    require_platform_admin(actor)
    proposal = HotlineProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != HotlineProposal.Status.PENDING:
        raise ValidationError(_("This proposal has already been reviewed."))
    reason = reason.strip()
    if not approve and not reason:
        raise ValidationError(
            {"reason": _("Say why the proposal is rejected; the organisation will read it.")}
        )
    entry_id = proposal.hotline_id
    if approve:
        _apply(proposal)
    proposal.status = HotlineProposal.Status.APPROVED if approve else HotlineProposal.Status.REJECTED
    proposal.reason = reason
    proposal.reviewed_by = actor
    proposal.reviewed_at = timezone.now()
    proposal.save(update_fields=["status", "reason", "reviewed_by", "reviewed_at", "hotline"])
    _hotline_audit(
        "hotline.proposal_approved" if approve else "hotline.proposal_rejected",
        actor=actor, organisation=proposal.organisation, target=proposal,
        change=proposal.change, country=proposal.country, hotline=proposal.hotline_id or entry_id,
    )  # fmt: skip
    return proposal


def _apply(proposal: HotlineProposal) -> None:
    values = {name: getattr(proposal, name) for name in HOTLINE_FIELDS}
    if proposal.change == HotlineProposal.Change.CREATE:
        proposal.hotline = Hotline(organisation=proposal.organisation, **values)
    elif proposal.hotline is None:
        raise ValidationError(_("The entry this proposal changes no longer exists; reject it."))
    elif proposal.change == HotlineProposal.Change.DELETE:
        proposal.hotline.delete()
        proposal.hotline = None
        return
    else:
        for name, value in values.items():
            setattr(proposal.hotline, name, value)
    proposal.hotline.full_clean()
    proposal.hotline.save()
