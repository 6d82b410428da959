"""``/api/v1/cases/{id}/flags`` and ``/api/v1/case-flags/{id}/resolve``: the case page's flags.

Through the services the page uses: every role of org A and org B's staff is tried, a refused
request leaves no flag, no timeline event and no audit event, a repeated Idempotency-Key writes
nothing new, and a token's scopes narrow what it may do."""

from __future__ import annotations

import json

import pytest

from safeguard.accounts.services import api_token_create
from safeguard.cases.models import CaseEvent, CaseEventKind, CaseFlag
from safeguard.cases.services.flags import flag_raise
from safeguard.cases.tests.conftest import token_client
from safeguard.core.models import AuditEvent
from safeguard.testing.fixtures import actor_of

pytestmark = pytest.mark.django_db

FLAG = {"reason": "safety", "note": "The recruiter called the child again (fictional)."}

# Cara owns the case; Sue supervises org A; Carl (no team) and org B's staff cannot reach it;
# the analyst, the operator and the admins have no case role at all.
ANSWERS = {
    "cara": 201,
    "sue": 201,
    "carl": 404,
    "beth": 404,
    "bert": 404,
    "ana": 403,
    "bob": 403,
    "alice": 403,
    "charlie": 403,
}


@pytest.fixture
def open_flag(case_a, cara, org_a) -> CaseFlag:
    return flag_raise(
        actor=actor_of(cara, org_a), case=case_a, reason="supervisor", note="Please look (fictional)."
    )


@pytest.mark.parametrize(("who", "expected"), sorted(ANSWERS.items()))
def test_raising_a_flag_for_every_role_and_the_other_organisation(case_a, cast, who, expected) -> None:
    user, _organisation = cast[who]
    response = token_client(*cast[who]).post(f"/api/v1/cases/{case_a.pk}/flags", FLAG, format="json")

    assert response.status_code == expected, response.content
    flags = CaseFlag.objects.filter(case=case_a)
    raised = CaseEvent.objects.filter(case=case_a, kind=CaseEventKind.FLAG_RAISED)
    audited = AuditEvent.objects.filter(action="case.flag_raised", actor=user)
    if expected == 201:
        flag = flags.get()
        assert response.json() == {
            "id": flag.pk,
            "reason": "safety",
            "note": FLAG["note"],
            "raised_by": user.name,
            "raised_at": response.json()["raised_at"],
            "resolved_by": None,
            "resolved_at": None,
            "resolution_note": "",
        }
        assert (flag.reason, flag.note, flag.raised_by) == ("safety", FLAG["note"], user)
        assert raised.get().detail == {"flag_id": flag.pk, "reason": "safety"}
        assert audited.count() == 1
    else:
        assert (flags.count(), raised.count(), audited.count()) == (0, 0, 0)


@pytest.mark.parametrize(("who", "expected"), sorted({**ANSWERS, "cara": 200, "sue": 200}.items()))
def test_listing_the_flags_for_every_role_and_the_other_organisation(
    case_a, open_flag, cast, who, expected
) -> None:
    user, _organisation = cast[who]
    response = token_client(*cast[who]).get(f"/api/v1/cases/{case_a.pk}/flags")

    assert response.status_code == expected
    viewed = AuditEvent.objects.filter(action="case.viewed", actor=user).count()
    if expected == 200:
        assert [(row["id"], row["reason"], row["note"]) for row in response.json()["results"]] == [
            (open_flag.pk, "supervisor", "Please look (fictional).")
        ]
        assert viewed == 1
    else:
        assert "Please look" not in response.content.decode()
        assert viewed == 0


@pytest.mark.parametrize(("who", "expected"), sorted({**ANSWERS, "cara": 200, "sue": 200}.items()))
def test_resolving_a_flag_for_every_role_and_the_other_organisation(open_flag, cast, who, expected) -> None:
    user, _organisation = cast[who]
    response = token_client(*cast[who]).post(
        f"/api/v1/case-flags/{open_flag.pk}/resolve",
        {"note": "Talked it through (fictional)."},
        format="json",
    )

    assert response.status_code == expected, response.content
    open_flag.refresh_from_db()
    resolved = CaseEvent.objects.filter(case=open_flag.case, kind=CaseEventKind.FLAG_RESOLVED)
    audited = AuditEvent.objects.filter(action="case.flag_resolved", actor=user)
    if expected == 200:
        assert response.json()["resolved_by"] == user.name
        assert response.json()["resolution_note"] == "Talked it through (fictional)."
        assert (open_flag.resolved_by, open_flag.resolution_note) == (user, "Talked it through (fictional).")
        assert (resolved.count(), audited.count()) == (1, 1)
    else:
        assert (open_flag.resolved_at, open_flag.resolution_note) == (None, "")
        assert (resolved.count(), audited.count()) == (0, 0)


def test_bad_input_names_the_field_and_writes_nothing(case_a, open_flag, cara, org_a) -> None:
    client = token_client(cara, org_a)

    bad_reason = client.post(f"/api/v1/cases/{case_a.pk}/flags", {**FLAG, "reason": "bogus"}, format="json")
    blank = client.post(f"/api/v1/case-flags/{open_flag.pk}/resolve", {"note": "  "}, format="json")

    assert bad_reason.status_code == blank.status_code == 400
    assert list(bad_reason.json()["error"]["fields"]) == ["reason"]
    assert list(blank.json()["error"]["fields"]) == ["note"]
    assert CaseFlag.objects.filter(case=case_a).count() == 1
    open_flag.refresh_from_db()
    assert open_flag.resolved_at is None


def test_a_resolved_flag_is_not_resolved_again(open_flag, cara, org_a) -> None:
    client = token_client(cara, org_a)
    path = f"/api/v1/case-flags/{open_flag.pk}/resolve"
    assert client.post(path, {"note": "Done (fictional)."}, format="json").status_code == 200

    again = client.post(path, {"note": "Twice."}, format="json")

    assert again.status_code == 400
    assert again.json()["error"]["fields"] == {"_": ["This flag is already resolved."]}
    open_flag.refresh_from_db()
    assert open_flag.resolution_note == "Done (fictional)."
    assert AuditEvent.objects.filter(action="case.flag_resolved").count() == 1


def test_a_repeated_idempotency_key_raises_one_flag(case_a, cara, org_a) -> None:
    client = token_client(cara, org_a)
    path = f"/api/v1/cases/{case_a.pk}/flags"

    first = client.post(path, FLAG, format="json", HTTP_IDEMPOTENCY_KEY="flag-1")
    audits = AuditEvent.objects.count()
    again = client.post(path, FLAG, format="json", HTTP_IDEMPOTENCY_KEY="flag-1")

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert CaseFlag.objects.filter(case=case_a).count() == 1
    assert CaseEvent.objects.filter(case=case_a, kind=CaseEventKind.FLAG_RAISED).count() == 1
    assert AuditEvent.objects.count() == audits


def test_a_repeated_idempotency_key_resolves_once(open_flag, cara, org_a) -> None:
    client = token_client(cara, org_a)
    path = f"/api/v1/case-flags/{open_flag.pk}/resolve"
    body = {"note": "Done (fictional)."}

    first = client.post(path, body, format="json", HTTP_IDEMPOTENCY_KEY="resolve-1")
    again = client.post(path, body, format="json", HTTP_IDEMPOTENCY_KEY="resolve-1")

    assert first.status_code == again.status_code == 200
    assert again["Idempotent-Replayed"] == "true"
    assert AuditEvent.objects.filter(action="case.flag_resolved").count() == 1


def test_a_read_scope_lists_but_does_not_raise(case_a, open_flag, cara, org_a) -> None:
    from rest_framework.test import APIClient

    key = api_token_create(actor=actor_of(cara, org_a), name="read", scopes=["cases:read"])[1]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    reports_only = APIClient()
    reports_only.credentials(
        HTTP_AUTHORIZATION=f"Token {api_token_create(actor=actor_of(cara, org_a), name='r', scopes=['reports:write'])[1]}"
    )

    assert client.get(f"/api/v1/cases/{case_a.pk}/flags").status_code == 200
    assert client.post(f"/api/v1/cases/{case_a.pk}/flags", FLAG, format="json").status_code == 403
    assert (
        client.post(f"/api/v1/case-flags/{open_flag.pk}/resolve", {"note": "x"}, format="json").status_code
        == 403
    )
    assert reports_only.get(f"/api/v1/cases/{case_a.pk}/flags").status_code == 403
    assert CaseFlag.objects.filter(case=case_a).count() == 1
    open_flag.refresh_from_db()
    assert open_flag.resolved_at is None


def test_a_flag_raised_through_the_api_is_announced_as_case_updated(
    case_a, cara, alice, org_a, monkeypatch
) -> None:
    from safeguard.webhooks.models import Delivery
    from safeguard.webhooks.services import endpoint_create

    # The endpoint's host resolves to one public address, so the destination check passes.
    monkeypatch.setattr("safeguard.webhooks.destinations.resolve", lambda host, port: ["93.184.215.14"])
    endpoint, _secret = endpoint_create(
        actor=actor_of(alice, org_a), url="https://hooks.example.org/in", event_types=["case.updated"]
    )

    response = token_client(cara, org_a).post(f"/api/v1/cases/{case_a.pk}/flags", FLAG, format="json")

    assert response.status_code == 201
    delivery = Delivery.objects.get(endpoint=endpoint)
    assert delivery.event_type == "case.updated"
    assert json.loads(delivery.body)["data"] == {
        "action": "case.flag_raised",
        "object": "case",
        "id": case_a.pk,
    }
