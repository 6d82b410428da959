"""Recording the people suspected of trafficking the child."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from safeguard.accounts.access import Actor
from safeguard.cases import choices
from safeguard.cases.access import require_case_in_reach
from safeguard.cases.events import case_event
from safeguard.cases.models import Case, CaseEventKind, Perpetrator


@transaction.atomic
def perpetrator_add(
    *,
    actor: Actor,
    case: Case,
    name: str,
    identifiers: list[str],
    roles: list[str],
    role_details: str = "",
    gender: str = "",
    citizenships: list[str] | None = None,
) -> Perpetrator:
    require_case_in_reach(actor, case, "case.edit")
    unknown = [role for role in roles if role not in choices.PerpetratorRole.values]
    if unknown:
        raise ValidationError({"roles": _("Not an HTCDS value: %(values)s") % {"values": ", ".join(unknown)}})
    perpetrator = Perpetrator(
        case=case,
        name=name.strip(),
        identifiers=[i.strip() for i in identifiers if i.strip()],
        roles=list(dict.fromkeys(roles)),
        role_details=role_details.strip(),
        gender=gender,
        citizenships=sorted({code.upper() for code in citizenships or [] if code}),
    )
    perpetrator.full_clean()
    perpetrator.save()
    case_event(
        case=case,
        kind=CaseEventKind.PERPETRATOR_ADDED,
        actor=actor,
        detail={"perpetrator_id": perpetrator.pk},
    )
    return perpetrator
