"""Enquiries: family members asking for a separated child."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from safeguard.accounts.access import Actor
from safeguard.cases.matching import name_keys
from safeguard.cases.models import NAME_KEY_PURPOSE, Team
from safeguard.core.fields import blind_index_for
from safeguard.core.picklists import Gender
from safeguard.tracing.access import require_enquiry_in_reach
from safeguard.tracing.events import enquiry_event
from safeguard.tracing.models import Enquiry, EnquiryNameKey, EnquiryState
from safeguard.tracing.services.checks import clean_names, not_in_future, place_code, required_text
from safeguard.tracing.services.matches import matches_find_for_enquiry


@dataclass(frozen=True)
class EnquiryDetails:
    """Who asks, for which child, and what they know; a description, never a photo."""

    enquirer_name: str
    enquirer_relationship: str
    child_name: str
    enquirer_contact: str = ""
    child_aliases: list[str] = field(default_factory=list)
    child_age: int | None = None
    child_sex: str = Gender.NON_SPECIFIED_UNKNOWN
    physical_description: str = ""
    last_known_place: str = ""
    separated_on: date | None = None
    circumstances: str = ""


def enquiry_name_keys(enquiry: Enquiry) -> set[str]:
    """Blind phonetic keys of the sought child's names, comparable with the case names' keys."""
    names = [enquiry.child_name, *(enquiry.child_aliases or [])]
    return {blind_index_for(code, purpose=NAME_KEY_PURPOSE) for code in name_keys(names)}


@transaction.atomic
def enquiry_record(*, actor: Actor, details: EnquiryDetails, team: Team | None = None) -> Enquiry:
    """Record an enquiry in the actor's organisation and look at once for children it may be about."""
    actor.require("case.edit")
    assert actor.organisation is not None
    if team is not None and team.organisation_id != actor.organisation.pk:
        raise ValidationError({"team": _("Choose a team of your organisation.")})
    not_in_future(details.separated_on, "separated_on")
    enquiry = Enquiry(
        organisation=actor.organisation,
        owner=actor.user,
        team=team,
        enquirer_name=required_text(
            details.enquirer_name, "enquirer_name", _("Give the name of the person asking.")
        ),
        enquirer_relationship=details.enquirer_relationship,
        enquirer_contact=details.enquirer_contact.strip(),
        child_name=required_text(details.child_name, "child_name", _("Give the name of the child sought.")),
        child_aliases=clean_names(details.child_aliases),
        child_age=details.child_age,
        child_sex=details.child_sex,
        physical_description=details.physical_description.strip(),
        last_known_place=place_code(details.last_known_place, "last_known_place"),
        separated_on=details.separated_on,
        circumstances=details.circumstances.strip(),
    )
    enquiry.full_clean()
    enquiry.save()
    EnquiryNameKey.objects.bulk_create(
        EnquiryNameKey(enquiry=enquiry, key=key) for key in sorted(enquiry_name_keys(enquiry))
    )
    enquiry_event(enquiry=enquiry, action="recorded", actor=actor)
    matches_find_for_enquiry(enquiry=enquiry, actor=actor)
    return enquiry


@transaction.atomic
def enquiry_close(*, actor: Actor, enquiry: Enquiry, note: str) -> Enquiry:
    """Close an open enquiry (the family stopped asking, or it was answered otherwise), saying why."""
    require_enquiry_in_reach(actor, enquiry, "case.edit")
    if enquiry.state != EnquiryState.OPEN:
        raise ValidationError(_("This enquiry is not open."))
    enquiry.state = EnquiryState.CLOSED
    enquiry.closure_note = required_text(note, "note", _("Say why the enquiry is closed."))
    enquiry.save(update_fields=["state", "closure_note"])
    enquiry_event(enquiry=enquiry, action="closed", actor=actor)
    return enquiry
