"""The demo seeder: fictional ads in four templates, idempotent."""

from __future__ import annotations

import io
import random

import pytest

from safeguard.accounts.models import Organisation
from safeguard.accounts.roles import OrganisationKind, Role
from safeguard.analytics import demo
from safeguard.analytics.models import Ad, AdCluster, LinkStatus, PersonLinkCandidate
from safeguard.intake.duplicate_suggestions import duplicate_suggestions
from safeguard.intake.models import Report
from safeguard.portal.demo import DemoWorld
from safeguard.testing.fixtures import actor_of, make_member

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent() -> None:
    harbour = Organisation.objects.create(
        slug="harbour-light", name="Harbour Light Foundation (demo)", kind=OrganisationKind.NGO
    )
    northwind = Organisation.objects.create(
        slug="northwind-helpline", name="Northwind Helpline (demo)", kind=OrganisationKind.HOTLINE
    )
    analyst = make_member(harbour, Role.ANALYST, email="analyst@harbour.example")
    world = DemoWorld(
        seed=1,
        rng=random.Random(1),
        organisations={"harbour-light": harbour, "northwind-helpline": northwind},
        users={"analyst@harbour.example": analyst},
        created=True,
        log=io.StringIO(),
    )
    demo.seed(world)
    clusters = sorted(AdCluster.objects.values_list("size", flat=True))
    demo.seed(world)

    assert Ad.objects.count() == 323
    assert sorted(AdCluster.objects.values_list("size", flat=True)) == clusters
    assert len(clusters) >= 4
    assert AdCluster.objects.exclude(group=None).exists()
    assert all("555" in ad["text"] or "demo" in ad["text"] for ad in demo.demo_ads(random.Random(1)))
    # The review queue has pairs to decide, each explained field by field (issue 11) …
    pending = PersonLinkCandidate.objects.filter(organisation=northwind, status=LinkStatus.PENDING)
    assert pending.count() >= 2
    assert all(candidate.comparisons for candidate in pending)
    # … and the report sent twice is suggested as a duplicate of the other.
    assert Report.objects.filter(reference__startswith="SG-DEMO").count() == 15
    first, second = (Report.objects.get(reference=reference) for reference, _hours in demo.DUPLICATE_REPORTS)
    operator = make_member(northwind, Role.OPERATOR, email="operator@northwind.example")
    assert [s.report for s in duplicate_suggestions(actor_of(operator, northwind), second)] == [first]
