"""The demo seeder: fictional ads in four templates, idempotent."""

from __future__ import annotations

import io
import random

import pytest

from safeguard.accounts.models import Organisation
from safeguard.accounts.roles import OrganisationKind, Role
from safeguard.analytics import demo
from safeguard.analytics.models import Ad, AdCluster
from safeguard.portal.demo import DemoWorld
from safeguard.testing.fixtures import make_member

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent() -> None:
    harbour = Organisation.objects.create(
        slug="harbour-light", name="Harbour Light Foundation (demo)", kind=OrganisationKind.NGO
    )
    analyst = make_member(harbour, Role.ANALYST, email="analyst@harbour.example")
    world = DemoWorld(
        seed=1,
        rng=random.Random(1),
        organisations={"harbour-light": harbour},
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
