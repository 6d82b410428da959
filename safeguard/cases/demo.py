"""Fictional demo cases at Harbour Light; idempotent (each demo case has a fixed reference).

The children are invented ("Kimo Demo-Child"); dates are relative to today.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from safeguard.accounts.access import Actor, roles_in
from safeguard.cases.models import Case, ConsentGiver, ConsentScope, Team
from safeguard.cases.services.assessment import assessment_record
from safeguard.cases.services.consents import consent_record
from safeguard.cases.services.documents import document_add
from safeguard.cases.services.followups import follow_up_record, follow_up_schedule
from safeguard.cases.services.notes import note_add
from safeguard.cases.services.plans import PlanItemInput, care_plan_decide, care_plan_submit
from safeguard.cases.services.referrals import referral_create
from safeguard.cases.services.registration import PersonDetails, case_register
from safeguard.directory.models import Service
from safeguard.portal.demo import DemoWorld

RATINGS = {
    "immediate_safety": 3,
    "medical": 1,
    "psychological": 2,
    "legal": 2,
    "shelter": 3,
    "education": 2,
    "family_tracing": 1,
}

# reference, first name, second name, age, gender, citizenship, how far the workflow goes
DEMO_CASES = [
    ("C-DEMO-0001", "Kimo", "Demo-Child", 14, "Masculine", "AL", "registered"),
    ("C-DEMO-0002", "Lulu", "Example-Child", 12, "Feminine", "NG", "plan_submitted"),
    ("C-DEMO-0003", "Pim", "Fictive-Child", 16, "Feminine", "VN", "referred"),
]


def _actor(world: DemoWorld, email: str, slug: str) -> Actor:
    user, organisation = world.user(email), world.organisation(slug)
    return Actor(user=user, organisation=organisation, roles=roles_in(user, organisation))


def seed(world: DemoWorld) -> None:
    harbour = world.organisation("harbour-light")
    team, _ = Team.objects.get_or_create(organisation=harbour, name="Harbour casework (demo)")
    team.members.add(world.user("caseworker@harbour.example"))
    caseworker = _actor(world, "caseworker@harbour.example", "harbour-light")
    today = timezone.localdate()
    created = 0
    for reference, first, second, age, gender, citizenship, reach in DEMO_CASES:
        if Case.objects.filter(reference=reference).exists():
            continue
        case = case_register(
            actor=caseworker,
            person=PersonDetails(
                first_name=first,
                second_name=second,
                birth_date=date(today.year - age, 3, 1),
                gender=gender,
                citizenships=[citizenship],
                primary_language="en",
                country="GB",
            ),
            context={
                "exploitation_types": ["ForcedLabour"] if gender == "Masculine" else ["SexualExploitation"]
            },
        )
        Case.objects.filter(pk=case.pk).update(reference=reference)
        case.reference = reference
        created += 1
        if reach == "registered":
            continue
        assessment_record(
            actor=caseworker, case=case, ratings=RATINGS, notes={"shelter": "Needs a safe bed (demo)."}
        )
        care_plan_submit(
            actor=caseworker,
            case=case,
            goals="Safe placement and return to school (demo).",
            support_type="SocialCare",
            items=[PlanItemInput(need="shelter", action="Emergency bed", due_on=today + timedelta(days=7))],
        )
        if reach != "referred":
            continue
        plan = case.care_plans.get()
        care_plan_decide(
            actor=_actor(world, "supervisor@harbour.example", "harbour-light"), plan=plan, approve=True
        )
        shelter = world.organisation("safe-haven")
        consent_record(
            actor=caseworker, case=case, given_by=ConsentGiver.GUARDIAN, scope=ConsentScope.SHARE_ORGANISATION,
            organisation=shelter, given_on=today,
        )  # fmt: skip
        service = Service.objects.filter(provider=shelter, kind="shelter").first()
        if service is not None:
            referral_create(
                actor=caseworker, case=case, service=service, summary="Girl of 16 needs an emergency bed (demo).",
                respond_by=today + timedelta(days=2), share_first_name=True,
            )  # fmt: skip
        follow_up_schedule(
            actor=caseworker, case=case, due_on=today + timedelta(days=14), purpose="Visit at the shelter"
        )
        first_call = follow_up_schedule(actor=caseworker, case=case, due_on=today, purpose="First phone call")
        follow_up_record(
            actor=caseworker, follow_up=first_call, done_on=today, outcome="seen_well",
            notes="Settling in; asked about school (demo).",
        )  # fmt: skip
        note = note_add(
            actor=caseworker, case=case, kind="visit", occurred_on=today,
            text="Met Pim at the shelter with the key worker; calm, eating well (demo).",
        )  # fmt: skip
        document_add(
            actor=caseworker, case=case, note=note, filename="visit-summary-demo.txt",
            data=b"Visit summary (fictional demo document).\nNo images are ever attached.\n",
        )  # fmt: skip
    world.log.write(f"cases: {created} demo cases created")
