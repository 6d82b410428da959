"""Platform administrators create organisations with a first admin; nobody else can."""

from __future__ import annotations

import pytest
from django.core import mail

from safeguard.accounts.models import Membership, Organisation, User
from safeguard.testing.fixtures import UserFactory, make_member

pytestmark = pytest.mark.django_db

NEW = {
    "name": "Gamma Shelter",
    "slug": "gamma",
    "kind": "service_provider",
    "country": "ke",
    "admin_name": "Gina Admin",
    "admin_email": "gina@gamma.example",
}


@pytest.fixture
def root(db):
    user = UserFactory.create(email="root@test.example", is_platform_admin=True)
    return make_member_without_org(user)


def make_member_without_org(user: User) -> User:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=user, confirmed=True, name="t")
    return user


def test_a_platform_admin_creates_an_organisation_and_invites_its_admin(
    root, client_for, django_capture_on_commit_callbacks
) -> None:
    client = client_for(root)
    assert 'href="/accounts/organisations/"' in client.get("/dashboard/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/organisations/", NEW)

    assert response.status_code == 302
    organisation = Organisation.objects.get(slug="gamma")
    assert (organisation.name, organisation.kind, organisation.country) == (
        "Gamma Shelter",
        "service_provider",
        "KE",
    )
    admin = User.objects.get(email="gina@gamma.example")
    assert list(Membership.objects.filter(user=admin).values_list("organisation__slug", "role")) == [
        ("gamma", "org_admin")
    ]
    assert mail.outbox[0].to == ["gina@gamma.example"]


def test_bad_input_is_explained_and_nothing_is_created(root, client_for) -> None:
    response = client_for(root).post(
        "/accounts/organisations/", {**NEW, "country": "QQ", "slug": "Not A Slug"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Not an ISO 3166-1 country code." in page
    assert 'value="Gamma Shelter"' in page
    assert not Organisation.objects.filter(name="Gamma Shelter").exists()


def test_an_org_admin_is_not_a_platform_admin(org_a, client_for) -> None:
    admin = make_member(org_a, "org_admin")
    client = client_for(admin)

    assert client.get("/accounts/organisations/").status_code == 403
    assert client.post("/accounts/organisations/", NEW).status_code == 403
    assert not Organisation.objects.filter(slug="gamma").exists()
    assert not User.objects.filter(email="gina@gamma.example").exists()
