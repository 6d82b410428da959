"""Writes for the service directory and the public hotline numbers.

Each service checks the actor's permission itself, and that a service belongs to the actor's
organisation, so nobody edits another's listing."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from safeguard.accounts.access import Actor
from safeguard.core.audit import audit_record
from safeguard.directory.models import Hotline, Service, pack_codes

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


@transaction.atomic
def hotline_save(*, hotline: Hotline, actor: Actor) -> Hotline:
    """Create or change a public emergency or hotline number; audited."""
    actor.require("hotline.manage")
    created = hotline.pk is None
    hotline.country = hotline.country.upper()
    hotline.full_clean()
    hotline.save()
    audit_record(
        action="hotline.created" if created else "hotline.changed",
        actor=actor.user,
        organisation=actor.organisation,
        target=hotline,
        detail={"country": hotline.country},
    )
    return hotline


@transaction.atomic
def hotline_delete(*, hotline: Hotline, actor: Actor) -> None:
    """Remove a public number; the audit event keeps its country."""
    actor.require("hotline.manage")
    audit_record(
        action="hotline.deleted",
        actor=actor.user,
        organisation=actor.organisation,
        target=hotline,
        detail={"country": hotline.country},
    )
    hotline.delete()
