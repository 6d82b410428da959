"""Fictional demo services; idempotent (looked up by provider and name)."""

from __future__ import annotations

from safeguard.directory.models import HotlineKind, HotlineProposal, Service, ServiceKind
from safeguard.portal.demo import DemoWorld

# (provider slug, kind, name, coverage, languages, min age, max age, capacity, contact phone)
DEMO_SERVICES = [
    (
        "safe-haven",
        ServiceKind.SHELTER,
        "Safe Haven emergency beds (demo)",
        ",GB,ES,",
        ",en,es,",
        8,
        17,
        12,
        "555-0150",
    ),
    (
        "safe-haven",
        ServiceKind.COUNSELLING,
        "Safe Haven counselling (demo)",
        ",GB,",
        ",en,fr,",
        None,
        None,
        30,
        "555-0151",
    ),
    (
        "harbour-light",
        ServiceKind.LEGAL_AID,
        "Harbour Light legal clinic (demo)",
        ",GB,",
        ",en,",
        None,
        None,
        None,
        "555-0152",
    ),
    (
        "riverside-cps",
        ServiceKind.FAMILY_TRACING,
        "Riverside family tracing (demo)",
        "",
        ",en,es,fr,",
        None,
        17,
        None,
        "555-0153",
    ),
    (
        "ministry-social",
        ServiceKind.EDUCATION,
        "Back-to-school programme (demo)",
        ",ES,",
        ",es,",
        6,
        17,
        200,
        "555-0154",
    ),
]


def seed(world: DemoWorld) -> None:
    created = 0
    for slug, kind, name, coverage, languages, min_age, max_age, capacity, phone in DEMO_SERVICES:
        provider = world.organisation(slug)
        _service, was_created = Service.objects.get_or_create(
            provider=provider,
            name=name,
            defaults={
                "kind": kind, "coverage": coverage, "languages": languages, "min_age": min_age, "max_age": max_age,
                "capacity": capacity, "contact_phone": phone, "contact_name": "Demo contact",
            },
        )  # fmt: skip
        created += was_created
    world.log.write(f"directory: {created} demo services created")
    # One organisation's own number waiting for a platform admin's review (decision 091).
    _proposal, proposed = HotlineProposal.objects.get_or_create(
        organisation=world.organisation("northwind-helpline"),
        name="Northwind helpline (demo, fictional)",
        defaults={
            "change": HotlineProposal.Change.CREATE, "country": "GB", "kind": HotlineKind.CHILD_HELPLINE,
            "phone": "555-0122", "hours": "24/7", "languages": "en",
            "proposed_by": world.user("admin@northwind.example"),
        },
    )  # fmt: skip
    world.log.write(f"directory: {int(proposed)} demo public number proposed for review")
