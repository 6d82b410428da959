from __future__ import annotations

import pytest

from safeguard.accounts.models import Organisation
from safeguard.accounts.roles import OrganisationKind
from safeguard.directory.models import Hotline, Service, ServiceKind
from safeguard.directory.selectors import hotlines_for_country, services_search
from safeguard.testing.fixtures import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed(db):
    provider = Organisation.objects.create(name="Haven", slug="haven", kind=OrganisationKind.SERVICE_PROVIDER)
    return {
        "shelter_gb": Service.objects.create(provider=provider, kind=ServiceKind.SHELTER, name="Beds GB", coverage=",GB,", languages=",en,"),
        "shelter_london": Service.objects.create(provider=provider, kind=ServiceKind.SHELTER, name="Beds London", coverage=",GB-LND,", languages=",en,fr,", min_age=12, max_age=17),
        "counselling_fr": Service.objects.create(provider=provider, kind=ServiceKind.COUNSELLING, name="Écoute", coverage=",FR,", languages=",fr,"),
        "anywhere": Service.objects.create(provider=provider, kind=ServiceKind.INTERPRETATION, name="Phone interpreters", languages=",ro,vi,"),
    }  # fmt: skip


def names(queryset):
    return sorted(service.name for service in queryset)


def test_search_by_need_place_language_and_age(listed) -> None:
    assert names(services_search(need="shelter", place="GB-LND")) == ["Beds GB", "Beds London"]
    assert names(services_search(need="shelter", place="GB-MAN")) == ["Beds GB"]
    assert names(services_search(need="shelter", place="GB")) == ["Beds GB", "Beds London"]
    assert names(services_search(place="FR", language="fr")) == ["Écoute"]
    assert names(services_search(language="ro")) == ["Phone interpreters"]
    assert names(services_search(need="shelter", age=9)) == ["Beds GB"]


def test_only_managers_of_the_provider_list_and_edit_services(listed, client_for, org_a) -> None:
    provider = listed["shelter_gb"].provider
    manager = make_member(provider, "supervisor", email="m@haven.example")
    caseworker = make_member(provider, "caseworker", email="c@haven.example")
    outsider = make_member(org_a, "org_admin", email="o@alpha.example")
    form = {
        "kind": "medical",
        "name": "Clinic",
        "coverage": "gb, gb-lnd",
        "languages": "EN",
        "genders": ["Feminine"],
        "is_active": "on",
    }

    assert client_for(caseworker).post("/directory/services/new/", form).status_code == 403
    assert client_for(manager).post("/directory/services/new/", form).status_code == 302
    clinic = Service.objects.get(name="Clinic")
    assert (clinic.provider, clinic.coverage, clinic.languages, clinic.genders) == (
        provider,
        ",GB,GB-LND,",
        ",en,",
        ",Feminine,",
    )
    response = client_for(outsider).post(
        f"/directory/services/{clinic.pk}/edit/", {**form, "name": "Hijacked"}
    )
    assert response.status_code == 404
    clinic.refresh_from_db()
    assert clinic.name == "Clinic"


def test_invalid_codes_are_refused_with_the_reason(listed, client_for) -> None:
    manager = make_member(listed["shelter_gb"].provider, "org_admin", email="m@haven.example")
    response = client_for(manager).post(
        "/directory/services/new/", {"kind": "medical", "name": "X", "coverage": "ZZ"}
    )
    assert response.status_code == 400
    assert "ZZ is not an ISO 3166 country or subdivision code." in response.content.decode()


def test_directory_page_searches(listed, client_for, org_a) -> None:
    user = make_member(org_a, "caseworker", email="cw@alpha.example")
    body = client_for(user).get("/directory/services/", {"need": "counselling"}).content.decode()
    assert "Écoute" in body and "Beds GB" not in body


def test_hotlines_still_work(db) -> None:
    Hotline.objects.create(country="GB", kind="child_helpline", name="Childline (fictional)", phone="0000")
    Hotline.objects.create(country="GB", kind="emergency", name="Emergency", phone="999")
    assert [hotline.name for hotline in hotlines_for_country("gb")] == ["Emergency", "Childline (fictional)"]
