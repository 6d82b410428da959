"""A fictional tracing request with a potential match, at Harbour Light; idempotent.

Lulu Example-Child (demo case C-DEMO-0002) is looking for her mother; an enquiry from "Ada
Example-Parent" asks for "Lulu Exampel-Child" (a spelling variant), so the match waits for the
caseworker to confirm or reject it. Every name is invented.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from safeguard.accounts.access import Actor, roles_in
from safeguard.cases.models import Case
from safeguard.portal.demo import DemoWorld
from safeguard.tracing.services.enquiries import EnquiryDetails, enquiry_record
from safeguard.tracing.services.requests import SoughtPerson, tracing_request_open

DEMO_CASE = "C-DEMO-0002"


def seed(world: DemoWorld) -> None:
    case = Case.objects.filter(reference=DEMO_CASE).first()
    if case is None or case.tracing_requests.exists():
        return
    user, organisation = world.user("caseworker@harbour.example"), world.organisation("harbour-light")
    caseworker = Actor(user=user, organisation=organisation, roles=roles_in(user, organisation))
    separated = timezone.localdate() - timedelta(days=400)
    tracing_request_open(
        actor=caseworker,
        case=case,
        sought=SoughtPerson(
            name="Ada Example-Parent",
            relationship="mother",
            age=40,
            sex="Feminine",
            physical_description="Short, wears glasses, a small scar on the chin (demo).",
            last_known_place="NG-LA",
            last_known_address="Near the demo market",
            separated_on=separated,
            circumstances="Separated at a bus station while travelling (demo).",
        ),
    )
    enquiry_record(
        actor=caseworker,
        details=EnquiryDetails(
            enquirer_name="Ada Example-Parent",
            enquirer_relationship="mother",
            enquirer_contact="Through the demo community centre",
            child_name="Lulu Exampel-Child",
            child_age=case.person.age_on(timezone.localdate()),
            child_sex="Feminine",
            physical_description="Slim, braided hair, a birthmark on the left hand (demo).",
            last_known_place="NG-LA",
            separated_on=separated,
        ),
    )
    world.log.write("tracing: 1 tracing request with a potential match")
