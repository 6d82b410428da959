"""Factories and fixtures every app's tests use (imported by the root conftest)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import factory
import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguard.accounts.access import Actor, roles_in
from safeguard.accounts.models import Membership, Organisation, User
from safeguard.accounts.roles import OrganisationKind, Role

TEST_PASSWORD = "correct-horse-battery-staple"  # noqa: S105


class OrganisationFactory(factory.django.DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Test Organisation {n}")
    slug = factory.Sequence(lambda n: f"test-org-{n}")
    kind = OrganisationKind.NGO


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@test.example")
    name = factory.Sequence(lambda n: f"Test Person {n}")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def persist_password(user: User, create: bool, extracted: Any, **kwargs: Any) -> None:
        # factory_boy passes the built model instance, not the factory, to post-generation hooks.
        if create:
            user.save(update_fields=["password"])


def make_member(organisation: Organisation, *roles: str, email: str | None = None, name: str = "") -> User:
    """A user holding ``roles`` in ``organisation``, with a confirmed authenticator."""
    fields: dict[str, Any] = {"email": email} if email else {}
    if name:
        fields["name"] = name
    user = UserFactory.create(**fields)
    for role in roles:
        Membership.objects.get_or_create(user=user, organisation=organisation, role=Role(role))
    TOTPDevice.objects.get_or_create(user=user, confirmed=True, defaults={"name": "test"})
    return user


def actor_of(user: User, organisation: Organisation) -> Actor:
    """``user`` acting in ``organisation`` with the roles they hold there, as a request would."""
    return Actor(user=user, organisation=organisation, roles=roles_in(user, organisation))


def current_code(user: User) -> str:
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def signed_in_client(user: User) -> Client:
    """A test client that has passed password and MFA, as the browser would."""
    client = Client()
    response = client.post("/accounts/login/", {"username": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302, response.content[:500]
    response = client.post("/accounts/mfa/", {"token": current_code(user)})
    assert response.status_code == 302, response.content[:500]
    return client


@pytest.fixture
def org_a(db: None) -> Organisation:
    return OrganisationFactory.create(name="Alpha Helpline", slug="alpha", kind=OrganisationKind.HOTLINE)


@pytest.fixture
def org_b(db: None) -> Organisation:
    return OrganisationFactory.create(name="Beta Foundation", slug="beta", kind=OrganisationKind.NGO)


@pytest.fixture
def member(db: None) -> Callable[..., User]:
    """``member(org, "operator", "supervisor")`` → a user with those roles there."""
    return make_member


@pytest.fixture
def client_for() -> Callable[[User], Client]:
    return signed_in_client


@pytest.fixture
def alice(org_a: Organisation) -> User:
    """Organisation admin of org A."""
    return make_member(org_a, Role.ORG_ADMIN, email="alice@alpha.example", name="Alice Admin")


@pytest.fixture
def bob(org_a: Organisation) -> User:
    """Operator of org A."""
    return make_member(org_a, Role.OPERATOR, email="bob@alpha.example", name="Bob Operator")


@pytest.fixture
def charlie(org_b: Organisation) -> User:
    """Organisation admin of org B: must see nothing of org A."""
    return make_member(org_b, Role.ORG_ADMIN, email="charlie@beta.example", name="Charlie Admin")


@pytest.fixture
def supervisor_a(org_a: Organisation) -> User:
    """Supervisor of org A."""
    return make_member(org_a, Role.SUPERVISOR, email="sue@alpha.example", name="Sue Supervisor")


@pytest.fixture
def analyst_a(org_a: Organisation) -> User:
    """Analyst of org A."""
    return make_member(org_a, Role.ANALYST, email="ana@alpha.example", name="Ana Analyst")


@pytest.fixture
def analyst_b(org_b: Organisation) -> User:
    """Analyst of org B: must see nothing of org A's analysis."""
    return make_member(org_b, Role.ANALYST, email="bea@beta.example", name="Bea Analyst")


@pytest.fixture
def operator_b(org_b: Organisation) -> User:
    """Operator of org B."""
    return make_member(org_b, Role.OPERATOR, email="otto@beta.example", name="Otto Operator")


@pytest.fixture
def platform_admin(db: None) -> User:
    """A platform administrator holding no organisation role (Pat, who reviews public numbers)."""
    user = UserFactory.create(email="pat@platform.example", name="Pat Platform", is_platform_admin=True)
    TOTPDevice.objects.get_or_create(user=user, confirmed=True, defaults={"name": "test"})
    return user
