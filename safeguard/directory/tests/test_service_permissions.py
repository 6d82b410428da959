"""The directory's write services guard themselves: a wrong role, or a user of another
organisation, gets PermissionDenied and nothing is written (no row, no change, no audit event).

Hotlines are the public numbers of every country, written by platform admins only: no
organisation role, not even an organisation admin's, may save or delete one (their proposals are
tested in test_hotline_review.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from safeguard.accounts.access import Actor
from safeguard.accounts.models import Organisation, User
from safeguard.core.models import AuditEvent
from safeguard.directory import services
from safeguard.directory.models import Hotline, Service, ServiceKind
from safeguard.testing.fixtures import actor_of, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed(org_a: Organisation) -> Service:
    return Service.objects.create(provider=org_a, kind=ServiceKind.SHELTER, name="Beds", coverage=",GB,")


@pytest.fixture
def hotline(db: None) -> Hotline:
    return Hotline.objects.create(country="GB", kind="emergency", name="Emergency", phone="999")


def snapshot() -> list[Any]:
    return [
        list(Service.objects.order_by("pk").values_list("pk", "provider_id", "name", "is_active")),
        list(Hotline.objects.order_by("pk").values_list("pk", "country", "name", "phone")),
        AuditEvent.objects.count(),
    ]


Call = Callable[[Actor, Service, Hotline], Any]
CALLS: dict[str, Call] = {
    "service_create": lambda a, s, h: services.service_create(actor=a, kind="medical", name="Clinic"),
    "service_update": lambda a, s, h: services.service_update(actor=a, service=s, name="Hijacked"),
    "hotline_save (new)": lambda a, s, h: services.hotline_save(
        actor=a.user, hotline=Hotline(country="FR", kind="emergency", name="Urgences", phone="112")
    ),
    "hotline_save (change)": lambda a, s, h: services.hotline_save(
        actor=a.user, hotline=Hotline(pk=h.pk, country="GB", kind="emergency", name="Changed", phone="111")
    ),
    "hotline_delete": lambda a, s, h: services.hotline_delete(actor=a.user, hotline=h),
}
# (service, who): "caseworker" holds a wrong role in org A; "beth" is a supervisor of org B;
# "admin" is an organisation admin of org A, who used to be able to change every country's numbers.
DENIALS = [
    ("service_create", "caseworker"),
    ("service_update", "caseworker"),
    ("service_update", "beth"),
    ("hotline_save (new)", "caseworker"),
    ("hotline_save (change)", "caseworker"),
    ("hotline_save (change)", "supervisor"),
    ("hotline_delete", "caseworker"),
    ("hotline_delete", "supervisor"),
    ("hotline_save (new)", "admin"),
    ("hotline_save (change)", "admin"),
    ("hotline_delete", "admin"),
]


@pytest.mark.parametrize(("service", "who"), DENIALS)
def test_a_directory_service_refuses_and_writes_nothing(
    service: str, who: str, listed: Service, hotline: Hotline, org_a: Organisation, org_b: Organisation
) -> None:
    users: dict[str, tuple[User, Organisation]] = {
        "caseworker": (make_member(org_a, "caseworker", email="cw@alpha.example"), org_a),
        "supervisor": (make_member(org_a, "supervisor", email="sv@alpha.example"), org_a),
        "beth": (make_member(org_b, "supervisor", email="beth@beta.example"), org_b),
        "admin": (make_member(org_a, "org_admin", email="oa@alpha.example"), org_a),
    }
    user, organisation = users[who]
    before = snapshot()
    with pytest.raises(PermissionDenied):
        CALLS[service](actor_of(user, organisation), listed, hotline)
    assert snapshot() == before


def test_the_providers_manager_may_change_its_listing(listed: Service, org_a: Organisation) -> None:
    manager = make_member(org_a, "supervisor", email="sv@alpha.example")
    services.service_update(actor=actor_of(manager, org_a), service=listed, name="Beds for girls")
    listed.refresh_from_db()
    assert listed.name == "Beds for girls"
    assert list(AuditEvent.objects.values_list("action", "detail")) == [
        ("directory.service_updated", {"fields": ["name"]})
    ]
