"""Every tracing page: the case team and supervisors reach it; another team, another organisation
and roles without case access get "not found" or "forbidden", and a denied write leaves nothing."""

from __future__ import annotations

import pytest
from django.utils import timezone

from safeguard.accounts.models import Organisation, User
from safeguard.cases.models import Case
from safeguard.core.models import AuditEvent
from safeguard.testing.fixtures import actor_of
from safeguard.tracing.models import Enquiry, TracingAction, TracingMatch, TracingRequest
from safeguard.tracing.services.enquiries import enquiry_record
from safeguard.tracing.tests.conftest import details

pytestmark = pytest.mark.django_db


def pages(request: TracingRequest, enquiry: Enquiry, match: TracingMatch) -> list[str]:
    return [
        f"/cases/{request.case_id}/tracing/new/",
        f"/tracing/requests/{request.pk}/",
        f"/tracing/requests/{request.pk}/actions/new/",
        f"/tracing/requests/{request.pk}/reunify/",
        f"/tracing/requests/{request.pk}/close/",
        f"/tracing/matches/{match.pk}/decide/",
    ]


def test_the_case_team_and_a_supervisor_reach_every_page(
    tracing_request: TracingRequest, enquiry: Enquiry, cara: User, sue: User, client_for
) -> None:
    match = TracingMatch.objects.get()
    clients = {user: client_for(user) for user in (cara, sue)}
    for client in clients.values():
        statuses = {url: client.get(url).status_code for url in pages(tracing_request, enquiry, match)}
        assert statuses == dict.fromkeys(pages(tracing_request, enquiry, match), 200)
        assert client.get(f"/tracing/enquiries/{enquiry.pk}/").status_code == 200
        assert client.get("/tracing/").status_code == 200
    assert clients[sue].get(f"/tracing/requests/{tracing_request.pk}/assessment/new/").status_code == 200
    assert clients[cara].get(f"/tracing/requests/{tracing_request.pk}/assessment/new/").status_code == 403


def test_another_team_another_organisation_and_an_analyst_are_denied(
    tracing_request: TracingRequest,
    enquiry: Enquiry,
    carl: User,
    bert: User,
    beth: User,
    ana: User,
    client_for,
) -> None:
    match = TracingMatch.objects.get()
    urls = [
        *pages(tracing_request, enquiry, match),
        f"/tracing/requests/{tracing_request.pk}/assessment/new/",
    ]
    clients = {user: client_for(user) for user in (carl, bert, beth, ana)}
    for user in (carl, bert, beth):
        client = clients[user]
        statuses = {url: client.get(url).status_code for url in urls}
        assert set(statuses.values()) <= {403, 404}, (user, statuses)
        assert statuses[f"/tracing/requests/{tracing_request.pk}/"] == 404
        response = client.post(
            f"/tracing/requests/{tracing_request.pk}/actions/new/",
            {"kind": "visit", "done_on": timezone.localdate().isoformat(), "result": "found"},
        )
        assert response.status_code in (403, 404)
    assert not TracingAction.objects.exists()
    # Carl recorded the enquiry, so he sees it; org B does not.
    assert clients[carl].get(f"/tracing/enquiries/{enquiry.pk}/").status_code == 200
    for user in (bert, beth):
        assert clients[user].get(f"/tracing/enquiries/{enquiry.pk}/").status_code == 404
        page = clients[user].get("/tracing/").content.decode()
        assert "Amina" not in page and "Hauwa" not in page
    for url in [*urls, "/tracing/", f"/tracing/enquiries/{enquiry.pk}/"]:
        assert clients[ana].get(url).status_code in (403, 404)


def test_carl_sees_the_match_but_not_the_child_of_another_team(
    tracing_request: TracingRequest, enquiry: Enquiry, carl: User, client_for
) -> None:
    page = client_for(carl).get(f"/tracing/enquiries/{enquiry.pk}/").content.decode()
    assert "a child of another team" in page
    assert tracing_request.case.reference not in page and "Amina Yusuf" not in page


def test_opening_a_request_through_the_page(child_case: Case, cara: User, client_for) -> None:
    client = client_for(cara)
    response = client.post(
        f"/cases/{child_case.pk}/tracing/new/",
        {
            "sought_name": "Musa Yusuf",
            "sought_aliases": "Baba Musa, Musa Y.",
            "relationship": "father",
            "sought_age": "45",
            "sought_sex": "Masculine",
            "physical_description": "Grey beard (fictional).",
            "last_known_place": "ng-kn",
            "separated_on": "2024-06-01",
            "circumstances": "",
        },
    )
    request = TracingRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/tracing/requests/{request.pk}/"
    assert (request.sought_aliases, request.last_known_place) == (["Baba Musa", "Musa Y."], "NG-KN")
    page = client.get(f"/tracing/requests/{request.pk}/").content.decode()
    assert "Musa Yusuf" in page and "Grey beard" in page
    assert AuditEvent.objects.filter(action="tracing.request_viewed", object_id=str(request.pk)).count() == 1
    case_page = client.get(f"/cases/{child_case.pk}/").content.decode()
    assert f"/tracing/requests/{request.pk}/" in case_page


def test_a_bad_place_is_refused_and_keeps_what_was_typed(child_case: Case, cara: User, client_for) -> None:
    response = client_for(cara).post(
        f"/cases/{child_case.pk}/tracing/new/",
        {
            "sought_name": "Musa Yusuf",
            "relationship": "father",
            "sought_sex": "Masculine",
            "last_known_place": "ZZ",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Not an ISO 3166 country or region code: ZZ" in page and "Musa Yusuf" in page
    assert not TracingRequest.objects.exists()


def test_an_enquiry_through_the_page_shows_its_match_to_the_childs_team(
    tracing_request: TracingRequest, sue: User, cara: User, client_for
) -> None:
    response = client_for(sue).post(
        "/tracing/enquiries/new/",
        {
            "enquirer_name": "Hauwa Yusuf",
            "enquirer_relationship": "mother",
            "child_name": "Aminah Yousuf",
            "child_age": "13",
            "child_sex": "Feminine",
            "last_known_place": "NG-KN",
        },
    )
    enquiry = Enquiry.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/tracing/enquiries/{enquiry.pk}/"
    page = client_for(cara).get(f"/tracing/requests/{tracing_request.pk}/").content.decode()
    assert "Aminah Yousuf" in page and "names sound alike" in page and "Confirm or reject" in page


def test_org_b_enquiry_pages_do_not_show_org_a_children(
    tracing_request: TracingRequest, bert: User, org_b: Organisation, client_for
) -> None:
    enquiry = enquiry_record(actor=actor_of(bert, org_b), details=details())
    page = client_for(bert).get(f"/tracing/enquiries/{enquiry.pk}/").content.decode()
    assert "No potential match yet." in page
