"""Fictional demo reports, hotlines, a routing rule and an escalation; idempotent.

Every person, number and place here is invented: names like "Vex Doe" and numbers in the
555-01xx fictional range. Demo hotlines say "(demo)" so nobody mistakes them for real ones.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from safeguard.accounts.access import Actor
from safeguard.directory.models import Hotline, HotlineKind
from safeguard.intake.channels import demo as channels_demo
from safeguard.intake.choices import Channel
from safeguard.intake.models import Report, RoutingRule
from safeguard.intake.services.escalation import report_escalate
from safeguard.intake.services.routing import routing_rule_save
from safeguard.intake.services.submission import ReportInput, report_submit
from safeguard.intake.services.triage import report_add_note, report_ask_reporter, report_assign
from safeguard.portal.demo import DemoWorld

DEMO_HOTLINES = [
    ("ES", HotlineKind.EMERGENCY, "Emergencias (demo, ficticio)", "555-0100", "24/7"),
    ("ES", HotlineKind.CHILD_HELPLINE, "Línea de ayuda infantil (demo, ficticia)", "555-0101", "24/7"),
    ("FR", HotlineKind.EMERGENCY, "Urgences (démo, fictif)", "555-0110", "24/7"),
    ("FR", HotlineKind.CHILD_HELPLINE, "Écoute enfance (démo, fictive)", "555-0111", "9h–21h"),
    ("GB", HotlineKind.EMERGENCY, "Emergency services (demo, fictional)", "555-0120", "24/7"),
    ("GB", HotlineKind.TRAFFICKING_HOTLINE, "Anti-trafficking line (demo, fictional)", "555-0121", "24/7"),
    ("MX", HotlineKind.EMERGENCY, "Emergencias (demo, ficticio)", "555-0130", "24/7"),
]

# (reference, hours ago, country, subdivision, danger, occurred, children ages, indicators, types, identifiers, narrative)
DEMO_REPORTS = [
    (
        "SG-DEMO0001",
        0.5,
        "ES",
        "ES-MD",
        "yes",
        "now",
        [12],
        ["restriction_of_movement", "signs_of_abuse"],
        ["SexualExploitation"],
        [("phone", "+34 555 0199"), ("handle", "@vex_doe_demo")],
        "A girl of about 12 is kept in the back room of the fictional Café Imaginario; a man called Vex Doe watches the door.",
    ),
    (
        "SG-DEMO0002",
        5,
        "ES",
        "ES-B",
        "no",
        "this_week",
        [15, 16],
        ["withholding_of_wages", "excessive_overtime", "out_of_school"],
        ["ChildLabour"],
        [("plate", "DEMO-123"), ("phone", "555 0199")],
        "Two teenagers work all day at the fictional Example Farm instead of going to school; a van with plate DEMO-123 brings them.",
    ),
    (
        "SG-DEMO0003",
        30,
        "FR",
        "FR-IDF",
        "unsure",
        "today",
        [],
        ["recruited_abroad", "deception"],
        ["ForcedLabour"],
        [("url", "https://jobs.example/fake-offer"), ("email", "recruiter@example.org")],
        "An advert on jobs.example promises study abroad to young people; the fictional recruiter Quill Nobody asks for passports.",
    ),
    (
        "SG-DEMO0004",
        80,
        "GB",
        "",
        "no",
        "earlier",
        [],
        [],
        ["DontKnow"],
        [("phone", "not sure, started with 07")],
        "Someone said a child at the fictional Nowhere Street market looked sad. Not much more is known.",
    ),
    (
        "SG-DEMO0005",
        200,
        "ES",
        "ES-MD",
        "no",
        "this_month",
        [9],
        ["unrelated_adult_speaks", "no_control_of_documents"],
        ["ForcedBegging"],
        [("handle", "@vex_doe_demo")],
        "A boy of about 9 begs at the fictional Plaza Inventada every day; an adult who is not his parent answers for him.",
    ),
]


def seed(world: DemoWorld) -> None:
    for country, kind, name, phone, opening_hours in DEMO_HOTLINES:
        Hotline.objects.get_or_create(
            country=country,
            name=name,
            defaults={"kind": kind, "phone": phone, "hours": opening_hours, "languages": ""},
        )
    channels_demo.seed(world)
    if Report.objects.filter(reference__startswith="SG-DEMO").exists():
        return
    helpline = world.organisation("northwind-helpline")
    harbour = world.organisation("harbour-light")
    operator = world.user("operator@northwind.example")
    admin = world.user("admin@northwind.example")
    actor = Actor(user=operator, organisation=helpline, roles=frozenset({"operator"}))
    admin_actor = Actor(user=admin, organisation=helpline, roles=frozenset({"org_admin"}))
    if not RoutingRule.objects.filter(organisation=helpline).exists():
        routing_rule_save(
            rule=RoutingRule(
                name="Child labour in Spain → Harbour Light (demo)",
                country="ES",
                exploitation_type="ChildLabour",
            ),
            destinations=[harbour],
            actor=admin_actor,
        )
    now = timezone.now()
    created = {}
    for (
        reference,
        hours,
        country,
        subdivision,
        danger,
        occurred,
        ages,
        indicators,
        types,
        identifiers,
        narrative,
    ) in DEMO_REPORTS:
        data = ReportInput(
            narrative=narrative,
            country=country,
            subdivision=subdivision,
            place="Fictional place (demo)",
            occurred=occurred,
            children=[
                {"age": age, "gender": "NonSpecifiedUnknown", "description": "demo child"} for age in ages
            ],
            indicators=indicators,
            exploitation_types=types,
            identifiers=identifiers,
            child_in_danger=danger,
            relation="witness",
            language="en",
        )
        submission = report_submit(
            data=data,
            channel=Channel.WEB,
            organisation=helpline,
            reference=reference,
            created_at=now - timedelta(hours=hours),
        )
        created[reference] = submission.report
    first = created["SG-DEMO0001"]
    report_assign(report=first, assignee=operator, actor=actor)
    report_add_note(
        report=first, body="Called the demo emergency line; police unit informed (fictional).", actor=actor
    )
    report_ask_reporter(
        report=created["SG-DEMO0003"],
        body="Do you remember the name of the school in the advert?",
        actor=actor,
    )
    bluefield = world.organisation("bluefield-police")
    report_escalate(
        report=first,
        organisation=bluefield,
        summary="Child held now; identifiers match report SG-DEMO0005 (demo).",
        actor=actor,
    )
    world.log.write(f"intake: {len(created)} demo reports, {len(DEMO_HOTLINES)} demo hotlines")
