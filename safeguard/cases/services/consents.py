"""Consent: recording and withdrawing it, and the rule that sharing needs it (or a supervisor override)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safeguard.accounts.access import Actor
from safeguard.accounts.models import Organisation
from safeguard.cases.access import require_case_in_reach
from safeguard.cases.events import case_event
from safeguard.cases.models import Case, CaseEventKind, Consent, ConsentScope
from safeguard.cases.selectors import consent_covering


@transaction.atomic
def consent_record(
    *,
    actor: Actor,
    case: Case,
    given_by: str,
    scope: str,
    given_on: date,
    organisation: Organisation | None = None,
    notes: str = "",
) -> Consent:
    require_case_in_reach(actor, case, "case.edit")
    consent = Consent(
        case=case,
        given_by=given_by,
        scope=scope,
        organisation=organisation if scope == ConsentScope.SHARE_ORGANISATION else None,
        given_on=given_on,
        notes=notes,
        recorded_by=actor.user,
    )
    consent.full_clean()
    consent.save()
    case_event(
        case=case,
        kind=CaseEventKind.CONSENT_RECORDED,
        actor=actor,
        detail={"consent_id": consent.pk, "scope": scope, "organisation_id": consent.organisation_id},
    )
    return consent


@transaction.atomic
def consent_withdraw(*, actor: Actor, consent: Consent) -> Consent:
    """Withdraw consent; from now on nothing it covered is shared (providers stop seeing the summary)."""
    require_case_in_reach(actor, consent.case, "case.edit")
    if consent.withdrawn_at is not None:
        raise ValidationError(_("This consent has already been withdrawn."))
    consent.withdrawn_at, consent.withdrawn_by = timezone.now(), actor.user
    consent.save(update_fields=["withdrawn_at", "withdrawn_by"])
    case_event(
        case=consent.case,
        kind=CaseEventKind.CONSENT_WITHDRAWN,
        actor=actor,
        detail={"consent_id": consent.pk},
    )
    return consent


def consent_or_override(
    *, actor: Actor, case: Case, organisation: Organisation, override_reason: str
) -> Consent | None:
    consent = consent_covering(case, organisation)
    if consent is not None:
        return consent
    if not override_reason.strip():
        raise ValidationError(
            {
                "override_reason": _(
                    "No consent in force covers sharing this case with %(organisation)s. Record the "
                    "consent first, or a supervisor may override with a reason."
                )
                % {"organisation": organisation.name}
            }
        )
    if not actor.can("case.override_consent"):
        raise PermissionDenied("only a supervisor may share without consent")
    return None
