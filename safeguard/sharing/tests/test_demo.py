"""The demo: forty fictional consenting cases and two published releases at Harbour Light."""

from __future__ import annotations

import io
import random

from safeguard.accounts.models import Organisation
from safeguard.accounts.roles import OrganisationKind, Role
from safeguard.intake.models import Report
from safeguard.portal.demo import DemoWorld
from safeguard.sharing import demo, public_map
from safeguard.sharing.models import Release, ReleaseStatus
from safeguard.testing.fixtures import make_member


def test_demo_publishes_two_releases_once(db: None, client: object) -> None:
    harbour = Organisation.objects.create(
        slug="harbour-light", name="Harbour (demo)", kind=OrganisationKind.NGO
    )
    northwind = Organisation.objects.create(
        slug="northwind-helpline", name="Northwind (demo)", kind=OrganisationKind.HOTLINE
    )
    users = {
        email: make_member(organisation, role, email=email)
        for email, role, organisation in [
            ("caseworker@harbour.example", Role.CASEWORKER, harbour),
            ("supervisor@harbour.example", Role.SUPERVISOR, harbour),
            ("admin@harbour.example", Role.ORG_ADMIN, harbour),
            ("admin@northwind.example", Role.ORG_ADMIN, northwind),
        ]
    }
    world = DemoWorld(
        seed=2026, rng=random.Random(2026), organisations={"harbour-light": harbour, "northwind-helpline": northwind},
        users=users, created=True, log=io.StringIO(),
    )  # fmt: skip
    demo.seed(world)
    demo.seed(world)
    releases = list(Release.objects.order_by("pk"))
    assert [(r.title, r.status, r.is_public) for r in releases] == [
        (demo.TITLES[0], ReleaseStatus.APPROVED, True),
        (demo.TITLES[1], ReleaseStatus.APPROVED, True),
    ]
    assert releases[0].report["input_rows"] == 40
    assert releases[0].report["released_rows"] > 30
    page = client.get("/statistics/harbour-light/")  # type: ignore[attr-defined]
    assert page.status_code == 200 and demo.TITLES[1].encode() in page.content


def test_demo_publishes_northwinds_public_map_once(db: None, client: object) -> None:
    northwind = Organisation.objects.create(
        slug="northwind-helpline", name="Northwind (demo)", kind=OrganisationKind.HOTLINE
    )
    admin = make_member(northwind, Role.ORG_ADMIN, email="admin@northwind.example")
    world = DemoWorld(
        seed=2026, rng=random.Random(2026), organisations={"northwind-helpline": northwind},
        users={"admin@northwind.example": admin}, created=True, log=io.StringIO(),
    )  # fmt: skip
    demo._public_map(world)
    demo._public_map(world)
    assert Report.objects.filter(organisation=northwind).count() == 30 + 22 + 4  # ES-AN, PT-03, ES-VC
    data = public_map.public_map_data(northwind, kind="reports")
    # ES-VC (4 in the year) is left out; each region shows its peak months only.
    assert {code: [n for n in row.values() if n is not None] for code, row in data.areas.items()} == {
        "ES-AN": [10, 11],
        "PT-03": [12],
    }
    assert client.get("/statistics/northwind-helpline/map/").status_code == 200  # type: ignore[attr-defined]
