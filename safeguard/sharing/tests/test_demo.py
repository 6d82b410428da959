"""The demo: forty fictional consenting cases and two published releases at Harbour Light."""

from __future__ import annotations

import io
import random

from safeguard.accounts.models import Organisation
from safeguard.accounts.roles import OrganisationKind, Role
from safeguard.portal.demo import DemoWorld
from safeguard.sharing import demo
from safeguard.sharing.models import Release, ReleaseStatus
from safeguard.testing.fixtures import make_member


def test_demo_publishes_two_releases_once(db: None, client: object) -> None:
    harbour = Organisation.objects.create(
        slug="harbour-light", name="Harbour (demo)", kind=OrganisationKind.NGO
    )
    users = {
        email: make_member(harbour, role, email=email)
        for email, role in [
            ("caseworker@harbour.example", Role.CASEWORKER),
            ("supervisor@harbour.example", Role.SUPERVISOR),
            ("admin@harbour.example", Role.ORG_ADMIN),
        ]
    }
    world = DemoWorld(
        seed=2026, rng=random.Random(2026), organisations={"harbour-light": harbour}, users=users, created=True,
        log=io.StringIO(),
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
