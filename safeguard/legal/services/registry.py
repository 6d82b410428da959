"""Maintaining the registry: jurisdictions and their entries, instruments, delegated editors.

Every write takes the acting ``user`` (the registry belongs to no organisation) and checks it:
platform administrators may change anything; a delegated legal editor changes only the entries
of the jurisdictions they were given. Every write is one audit event.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from safeguard.accounts.access import require_platform_admin
from safeguard.accounts.models import User
from safeguard.core.audit import audit_record
from safeguard.legal.access import require_jurisdiction_editor
from safeguard.legal.models import (
    Authority,
    Instrument,
    InstrumentStatus,
    Jurisdiction,
    Law,
    LegalEditor,
    Provision,
    ReportingDuty,
)

# The registry's entry types, by the name pages, imports and audit events use.
ENTRY_MODELS: dict[str, type[models.Model]] = {
    "jurisdiction": Jurisdiction,
    "instrument_status": InstrumentStatus,
    "law": Law,
    "provision": Provision,
    "authority": Authority,
    "duty": ReportingDuty,
}


def entry_jurisdiction(entry: models.Model) -> Jurisdiction | None:
    """The jurisdiction an entry belongs to (``None`` for a jurisdiction not yet saved)."""
    if isinstance(entry, Jurisdiction):
        return entry if entry.pk else None
    if isinstance(entry, Provision):
        return entry.law.jurisdiction
    jurisdiction: Jurisdiction = entry.jurisdiction  # type: ignore[attr-defined]
    return jurisdiction


def _entry_kind(entry: models.Model) -> str:
    return next(kind for kind, model in ENTRY_MODELS.items() if isinstance(entry, model))


@transaction.atomic
def registry_entry_save(*, user: User, entry: models.Model) -> models.Model:
    """Validate and save one registry entry (new or changed) for a platform admin or its jurisdiction's editor.

    A new jurisdiction needs a platform administrator.
    """
    require_jurisdiction_editor(user, entry_jurisdiction(entry))
    created = entry.pk is None
    entry.full_clean()
    entry.save()
    audit_record(
        action=f"legal.{_entry_kind(entry)}.{'created' if created else 'changed'}",
        actor=user,
        organisation=None,
        target=entry,
    )
    return entry


@transaction.atomic
def registry_entry_delete(*, user: User, entry: models.Model) -> None:
    """Delete an entry; a jurisdiction only by a platform admin, and only once it has no legal matters."""
    if isinstance(entry, Jurisdiction):
        require_platform_admin(user)
    else:
        require_jurisdiction_editor(user, entry_jurisdiction(entry))
    kind, pk = _entry_kind(entry), entry.pk
    try:
        entry.delete()
    except models.ProtectedError as error:
        raise ValidationError(
            _("This entry is still in use (by reports or legal matters) and cannot be deleted.")
        ) from error
    audit_record(
        action=f"legal.{kind}.deleted",
        actor=user,
        organisation=None,
        object_type=ENTRY_MODELS[kind]._meta.label_lower,
        object_id=pk or "",
    )


@transaction.atomic
def instrument_save(*, user: User, instrument: Instrument) -> Instrument:
    """International and regional instruments are shared by every jurisdiction: platform admins only."""
    require_platform_admin(user)
    created = instrument.pk is None
    instrument.full_clean()
    instrument.save()
    audit_record(
        action=f"legal.instrument.{'created' if created else 'changed'}",
        actor=user,
        organisation=None,
        target=instrument,
    )
    return instrument


@transaction.atomic
def legal_editor_grant(*, user: User, jurisdiction: Jurisdiction, email: str) -> LegalEditor:
    """A platform administrator delegates the upkeep of one jurisdiction to an existing user."""
    require_platform_admin(user)
    editor = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if editor is None:
        raise ValidationError({"email": _("No active user has this e-mail address.")})
    grant, created = LegalEditor.objects.get_or_create(
        user=editor, jurisdiction=jurisdiction, defaults={"granted_by": user}
    )
    if created:
        audit_record(
            action="legal.editor.granted",
            actor=user,
            organisation=None,
            target=jurisdiction,
            detail={"editor": editor.pk},
        )
    return grant


@transaction.atomic
def legal_editor_revoke(*, user: User, grant: LegalEditor) -> None:
    require_platform_admin(user)
    if grant.pk is None:
        raise PermissionDenied("no such grant")
    jurisdiction, editor_id = grant.jurisdiction, grant.user_id
    grant.delete()
    audit_record(
        action="legal.editor.revoked",
        actor=user,
        organisation=None,
        target=jurisdiction,
        detail={"editor": editor_id},
    )
