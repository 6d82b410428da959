"""A task force of the shared cast, and records to share and match.

The cast: Gamma Police (law enforcement, the lead) with liaison Lee; Alpha Helpline (org_a) with
supervisor Sue and analyst Ana taking part, and operator Bob not chosen; Beta Foundation (org_b)
with supervisor Sam taking part; Delta Ministry, an observer, with programme manager Pat; and
Epsilon Shelter, not a member, with supervisor Eve. Every agreement covers every kind of record
for every purpose up to "full" and runs from yesterday for a year, accepted by each admin.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from safeguard.accounts.access import Actor
from safeguard.accounts.models import Organisation, User
from safeguard.accounts.roles import OrganisationKind, Role
from safeguard.collaboration import services
from safeguard.collaboration.models import (
    CollaborationSettings,
    ItemType,
    MemberRole,
    Purpose,
    ShareLevel,
    SharingAgreement,
    TaskForce,
    TaskForceMember,
)
from safeguard.testing.fixtures import OrganisationFactory, actor_of, make_member

_numbers = itertools.count(1)


def terms(**changes: Any) -> services.AgreementTerms:
    today = timezone.localdate()
    values: dict[str, Any] = {
        "legal_basis": "Memorandum of understanding 2026/7 (fictional)",
        "purposes": list(Purpose.values),
        "record_kinds": list(ItemType.values),
        "max_level": ShareLevel.FULL,
        "retention_days": 365,
        "starts_on": today - timedelta(days=1),
        "ends_on": today + timedelta(days=365),
    }
    values.update(changes)
    return services.AgreementTerms(**values)


@dataclass
class World:
    task_force: TaskForce
    police: Organisation
    org_a: Organisation
    org_b: Organisation
    ministry: Organisation
    outsider: Organisation
    lee: User  # police liaison, lead
    police_admin: User
    alice: User  # admin of A
    sue: User  # supervisor of A, takes part
    ana: User  # analyst of A, takes part
    bob: User  # operator of A, not chosen
    charlie: User  # admin of B
    sam: User  # supervisor of B, takes part
    bea: User  # analyst of B, takes part
    ministry_admin: User
    pat: User  # programme manager of the observer
    eve: User  # supervisor of the outsider
    eve_admin: User

    def actor(self, user: User) -> Actor:
        for organisation in (self.police, self.org_a, self.org_b, self.ministry, self.outsider):
            acting = actor_of(user, organisation)
            if acting.roles:
                return acting
        raise AssertionError(f"{user} has no role")

    def member(self, organisation: Organisation) -> TaskForceMember:
        return TaskForceMember.objects.get(task_force=self.task_force, organisation=organisation)


def _accept_pending(admin: User, organisation: Organisation) -> None:
    for agreement in SharingAgreement.objects.filter(
        member__organisation=organisation, accepted_at__isnull=True
    ):
        services.agreement_accept(actor=actor_of(admin, organisation), agreement=agreement)


@pytest.fixture
def world(org_a: Organisation, org_b: Organisation, alice: User, bob: User, charlie: User) -> World:
    police = OrganisationFactory.create(
        name="Gamma Police Unit", slug="gamma", kind=OrganisationKind.LAW_ENFORCEMENT, country="FR"
    )
    ministry = OrganisationFactory.create(
        name="Delta Ministry", slug="delta", kind=OrganisationKind.GOVERNMENT
    )
    outsider = OrganisationFactory.create(
        name="Epsilon Shelter", slug="epsilon", kind=OrganisationKind.SERVICE_PROVIDER
    )
    lee = make_member(police, Role.LIAISON, email="lee@gamma.example", name="Lee Liaison")
    police_admin = make_member(police, Role.ORG_ADMIN, email="admin@gamma.example", name="Gil Admin")
    sue = make_member(org_a, Role.SUPERVISOR, email="sue@alpha.example", name="Sue Supervisor")
    ana = make_member(org_a, Role.ANALYST, email="ana@alpha.example", name="Ana Analyst")
    sam = make_member(org_b, Role.SUPERVISOR, email="sam@beta.example", name="Sam Supervisor")
    bea = make_member(org_b, Role.ANALYST, email="bea@beta.example", name="Bea Analyst")
    ministry_admin = make_member(ministry, Role.ORG_ADMIN, email="admin@delta.example", name="Dee Admin")
    pat = make_member(ministry, Role.PROGRAMME_MANAGER, email="pat@delta.example", name="Pat Programme")
    eve = make_member(outsider, Role.SUPERVISOR, email="eve@epsilon.example", name="Eve Supervisor")
    eve_admin = make_member(outsider, Role.ORG_ADMIN, email="admin@epsilon.example", name="Eli Admin")

    lead = actor_of(lee, police)
    task_force = services.task_force_create(
        actor=lead,
        name="Operation Lighthouse",
        purpose="Recruitment ads targeting children",
        jurisdictions=["FR", "GB"],
        terms=terms(),
    )
    services.member_add(
        actor=lead, task_force=task_force, organisation=org_a, role=MemberRole.MEMBER, terms=terms()
    )
    services.member_add(
        actor=lead, task_force=task_force, organisation=org_b, role=MemberRole.MEMBER, terms=terms()
    )
    services.member_add(
        actor=lead, task_force=task_force, organisation=ministry, role=MemberRole.OBSERVER, terms=terms()
    )
    for admin, organisation, users in (
        (police_admin, police, []),
        (alice, org_a, [sue, ana]),
        (charlie, org_b, [sam, bea]),
        (ministry_admin, ministry, [pat]),
    ):
        _accept_pending(admin, organisation)
        member = TaskForceMember.objects.get(task_force=task_force, organisation=organisation)
        for user in users:
            services.participant_add(actor=actor_of(admin, organisation), member=member, user=user)
    return World(
        task_force=task_force, police=police, org_a=org_a, org_b=org_b, ministry=ministry, outsider=outsider,
        lee=lee, police_admin=police_admin, alice=alice, sue=sue, ana=ana, bob=bob, charlie=charlie, sam=sam,
        bea=bea, ministry_admin=ministry_admin, pat=pat, eve=eve, eve_admin=eve_admin,
    )  # fmt: skip


@pytest.fixture
def signed_in(client_for: Callable[[User], Client]) -> Callable[[User], Client]:
    """``client_for`` once per user and test: a TOTP code is accepted only once."""
    clients: dict[int, Client] = {}

    def client(user: User) -> Client:
        if user.pk not in clients:
            clients[user.pk] = client_for(user)
        return clients[user.pk]

    return client


def phone_key(raw: str) -> str:
    from safeguard.analytics import extraction

    key = extraction.normalise(extraction.EntityKind.PHONE, raw, default_region="GB")
    assert key is not None
    return key


def make_report(
    organisation: Organisation, *, phone: str = "", narrative: str = "Seen at the bus station."
) -> Any:
    """A report stored the way intake stores one, with a phone identifier."""
    from safeguard.core.fields import blind_index_for
    from safeguard.intake.models import Report, ReportIdentifier

    number = next(_numbers)
    # A dict, because the stubs type the encrypted JSON fields as text.
    fields: dict[str, Any] = dict(
        reference=f"RPT-T{number:04d}",
        organisation=organisation,
        channel="web",
        narrative=narrative,
        country="GB",
        subdivision="GB-LND",
        place="Victoria coach station",
        children=[{"age": 14, "gender": "female", "description": "Girl in a red coat"}],
        children_count=1,
        youngest_age=14,
        suspects=[{"names": "Marco Fictitious", "description": "Drives a van"}],
        indicators=["restriction_of_movement"],
        receipt_lookup=f"T{number:07d}",
        receipt_hash="x",
        due_at=timezone.now() + timedelta(hours=4),
    )
    report = Report.objects.create(**fields)
    if phone:
        key = phone_key(phone)
        ReportIdentifier.objects.create(
            report=report,
            kind="phone",
            value=phone,
            normalised=key,
            value_index=blind_index_for(key, purpose="phone"),
        )
    return report


def make_case(organisation: Organisation, owner: User, *, phone: str = "", identity: str = "") -> Any:
    """A case of a fictional child, stored the way cases stores one."""
    from safeguard.cases.models import Case, Person
    from safeguard.core.fields import blind_index_for

    number = next(_numbers)
    fields: dict[str, Any] = dict(
        first_name="Zora",
        second_name="Testperson",
        aliases=["Little Z"],
        birth_date=(timezone.localdate() - timedelta(days=365 * 13 + 40)).isoformat(),
        birth_year=timezone.localdate().year - 13,
        gender="female",
        citizenships=["GB"],
        country="GB",
        contact={"phone": phone} if phone else {},
        phone_index=blind_index_for(phone_key(phone), purpose="phone") if phone else "",
        identity_number=identity,
        identity_index=blind_index_for(identity, purpose="identity-number") if identity else "",
    )
    person = Person.objects.create(**fields)
    return Case.objects.create(
        reference=f"CASE-T{number:04d}", organisation=organisation, owner=owner, person=person,
        exploitation_types=["sexual"],
    )  # fmt: skip


def mention(record_type: str, record_id: int, organisation: Organisation, *, phone: str) -> None:
    """What analytics stores for a record that names ``phone``."""
    from safeguard.analytics.models import Entity, Mention
    from safeguard.core.fields import blind_index_for

    key = phone_key(phone)
    entity, _created = Entity.objects.get_or_create(
        kind="phone", key_index=blind_index_for(key, purpose="phone")
    )
    Mention.objects.get_or_create(
        entity=entity, record_type=record_type, record_id=record_id, organisation=organisation
    )


def opt_in(*pairs: tuple[User, Organisation]) -> None:
    for admin, organisation in pairs:
        services.settings_update(actor=actor_of(admin, organisation), match_notices=True)


def share_in(world: World, user: User, item_type: str, item_id: int, **changes: Any) -> Any:
    values: dict[str, Any] = {
        "purpose": Purpose.INVESTIGATION,
        "level": ShareLevel.DEIDENTIFIED,
        "expires_on": timezone.localdate() + timedelta(days=30),
    }
    values.update(changes)
    return services.share_create(
        actor=world.actor(user), task_force=world.task_force, item_type=item_type, item_id=item_id, **values
    )


def in_days(days: int) -> date:
    return timezone.localdate() + timedelta(days=days)


__all__ = [
    "CollaborationSettings",
    "World",
    "in_days",
    "make_case",
    "make_report",
    "mention",
    "opt_in",
    "share_in",
    "terms",
]
