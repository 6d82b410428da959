"""One action on many cases of the case list: reassign, flag, or put in a team.

Each case goes through the service of the single action (``case_reassign``, ``flag_raise``,
``case_set_team``) in its own transaction, so each is checked and audited on its own; a case the
actor may not change is refused and reported back, never skipped in silence (decision 154).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from safeguard.accounts.access import Actor
from safeguard.accounts.models import User
from safeguard.cases.models import Case, Team
from safeguard.cases.services.assignment import case_reassign, case_set_team
from safeguard.cases.services.flags import flag_raise
from safeguard.core.audit import audit_record

BULK_MAX_CASES = 100  # four pages of the case list


@dataclass
class BulkOutcome:
    """The cases changed, and the refused ones as (label, why): a reference, or ``#id`` for an id
    that is not a case in the actor's reach (whether it exists elsewhere is not told)."""

    done: list[Case] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)


def _reason(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


def cases_bulk(
    *,
    actor: Actor,
    case_ids: Iterable[int],
    action: str,
    owner: User | None = None,
    team: Team | None = None,
    reason: str = "",
    note: str = "",
) -> BulkOutcome:
    """Apply ``action`` ("reassign", "flag" or "team") to each case of ``case_ids``."""
    actor.require("case.edit")
    ids = sorted(set(case_ids))
    if not ids:
        raise ValidationError(_("Select at least one case."))
    if len(ids) > BULK_MAX_CASES:
        raise ValidationError(_("Select at most %(count)d cases at a time.") % {"count": BULK_MAX_CASES})
    if not {"reassign": owner, "team": team, "flag": reason}.get(action):
        raise ValidationError(_("Choose an action and what it needs."))

    def one(case: Case) -> object:
        if action == "reassign":
            assert owner is not None
            return case_reassign(actor=actor, case=case, owner=owner)
        if action == "team":
            assert team is not None
            return case_set_team(actor=actor, case=case, team=team)
        return flag_raise(actor=actor, case=case, reason=reason, note=note)

    cases = Case.objects.in_bulk(ids)
    outcome = BulkOutcome()
    for case_id in ids:
        case = cases.get(case_id)
        try:
            if case is None:
                raise PermissionDenied("no such case")
            one(case)
        except PermissionDenied:
            outcome.refused.append((f"#{case_id}", _("not a case you may change")))
        except ValidationError as error:
            assert case is not None
            outcome.refused.append((case.reference, _reason(error)))
        else:
            assert case is not None
            outcome.done.append(case)
    if outcome.refused:
        audit_record(
            action="case.bulk_refused",
            actor=actor.user,
            organisation=actor.organisation,
            detail={
                "action": action,
                "case_ids": sorted(set(ids) - {case.pk for case in outcome.done}),
            },
        )
    return outcome
