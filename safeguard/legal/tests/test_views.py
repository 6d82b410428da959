"""Every legal page for each kind of user (one dict of page → status), the forms' messages, and
the panels other apps' pages include."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguard.core.models import AuditEvent
from safeguard.core.templatetags.localised import when
from safeguard.intake.services.submission import ReportInput, report_enter
from safeguard.legal.models import Hearing, LegalMatter
from safeguard.legal.services import matters
from safeguard.legal.services.duties import report_duties_apply
from safeguard.testing.fixtures import UserFactory, actor_of, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(bob, cara, alice, beth, org_a, case_a, gb, law, offence, police, teacher_duty, instrument):
    report = report_enter(
        data=ReportInput(
            narrative="Test narrative", country="GB", relation="teacher", children=[{"age": 16}]
        ),
        channel="phone",
        actor=actor_of(bob, org_a),
    ).report
    report_duties_apply(report_id=report.pk)
    matter = matters.matter_open(
        actor=actor_of(cara, org_a),
        case=case_a,
        details=matters.MatterDetails(kind="criminal", stage="", jurisdiction=gb),
    )
    hearing = matters.hearing_schedule(
        actor=actor_of(cara, org_a), matter=matter, scheduled_at=timezone.now() + timedelta(days=2),
        purpose="Trial", place="", child_participates=True,
    )  # fmt: skip
    root = UserFactory.create(email="root@example.org", is_platform_admin=True)
    TOTPDevice.objects.create(user=root, confirmed=True, name="t")
    pm = make_member(org_a, "programme_manager", email="pm@alpha.example")
    return {"report": report, "matter": matter, "hearing": hearing, "root": root, "pm": pm, "case": case_a}


def pages(world) -> dict[str, str]:
    report, matter, hearing = world["report"], world["matter"], world["hearing"]
    return {
        "home": "/legal/",
        "instrument": "/legal/instruments/palermo/",
        "jurisdiction": "/legal/GB/",
        "export_json": "/legal/GB/export.json",
        "export_csv": "/legal/GB/export.csv",
        "edit_law": "/legal/GB/law/new/",
        "import": "/legal/GB/import/",
        "editors": "/legal/GB/editors/",
        "duty_settings": "/legal/duties/",
        "statistics": "/legal/statistics/",
        "calendar": "/legal/calendar/",
        "fulfil": f"/legal/report-duties/{report.legal_duties.get().pk}/fulfil/",
        "provisions": f"/legal/reports/{report.pk}/provisions/",
        "matter_new": f"/legal/cases/{world['case'].pk}/matters/new/",
        "matter": f"/legal/matters/{matter.pk}/",
        "hearing_new": f"/legal/matters/{matter.pk}/hearings/new/",
        "prepare": f"/legal/hearings/{hearing.pk}/prepare/",
        "report": f"/reports/{report.pk}/",
        "case": f"/cases/{world['case'].pk}/",
    }


EXPECTED = {
    # page: (operator bob, caseworker cara, org admin alice, org B supervisor beth, platform admin, programme manager)
    "home": (200, 200, 200, 200, 200, 200),
    "instrument": (200, 200, 200, 200, 200, 200),
    "jurisdiction": (200, 200, 200, 200, 200, 200),
    "export_json": (200, 200, 200, 200, 200, 200),
    "export_csv": (200, 200, 200, 200, 200, 200),
    "edit_law": (403, 403, 403, 403, 200, 403),
    "import": (403, 403, 403, 403, 200, 403),
    "editors": (403, 403, 403, 403, 200, 403),
    "duty_settings": (403, 403, 200, 403, 403, 403),
    "statistics": (403, 403, 403, 200, 403, 200),
    "calendar": (403, 200, 403, 200, 403, 403),
    "fulfil": (200, 403, 403, 404, 403, 403),
    "provisions": (200, 403, 403, 404, 403, 403),
    "matter_new": (403, 200, 403, 404, 403, 403),
    "matter": (404, 200, 404, 404, 404, 404),
    "hearing_new": (404, 200, 404, 404, 404, 404),
    "prepare": (404, 200, 404, 404, 404, 404),
}
WHO = ("bob", "cara", "alice", "beth", "root", "pm")


@pytest.mark.parametrize("index", range(len(WHO)), ids=WHO)
def test_every_page_for_every_kind_of_user(world, client_for, request, index) -> None:
    who = WHO[index]
    user = world[who] if who in world else request.getfixturevalue(who)
    client = client_for(user)
    statuses = {name: client.get(url).status_code for name, url in pages(world).items() if name in EXPECTED}
    assert statuses == {name: EXPECTED[name][index] for name in EXPECTED}


def test_the_report_page_shows_the_duty_with_its_deadline_and_the_age(world, client_for, bob) -> None:
    report = world["report"]
    body = client_for(bob).get(f"/reports/{report.pk}/").content.decode()
    deadline = timezone.localtime(report.created_at + timedelta(hours=24))
    assert "Teachers report within 24 hours" in body
    assert when(deadline) in body and when(deadline).endswith(" UTC")  # the zone is named
    assert "may work, but not in hazardous work (under 18)" in body
    assert "Illustrative profile" in body


def test_the_case_page_lists_its_legal_matters_only_to_the_team(world, client_for, cara) -> None:
    body = client_for(cara).get(f"/cases/{world['case'].pk}/").content.decode()
    assert f"/legal/matters/{world['matter'].pk}/" in body and "Criminal proceedings" in body


def test_a_caseworker_records_a_hearing_and_a_compensation_award(world, client_for, cara) -> None:
    client = client_for(cara)
    matter, hearing = world["matter"], world["hearing"]
    response = client.post(f"/legal/hearings/{hearing.pk}/record/", {"outcome_note": "Done"})
    assert response.status_code == 400 and "prepared" in response.content.decode()
    today = timezone.localdate().isoformat()
    assert (
        client.post(
            f"/legal/hearings/{hearing.pk}/prepare/", {"prepared_on": today, "note": "Court visit"}
        ).status_code
        == 302
    )
    assert (
        client.post(
            f"/legal/hearings/{hearing.pk}/record/", {"outcome_note": "Done", "next_stage": "trial"}
        ).status_code
        == 302
    )
    response = client.post(
        f"/legal/matters/{matter.pk}/compensation/",
        {"currency": "EUR", "claimed": "900", "awarded": "1000", "paid": "1500"},
    )
    assert response.status_code == 400
    assert (
        client.post(
            f"/legal/matters/{matter.pk}/compensation/",
            {"currency": "EUR", "claimed": "1200", "awarded": "1000", "paid": "250"},
        ).status_code
        == 302
    )
    matter.refresh_from_db()
    assert (matter.stage, str(matter.compensation_awarded), str(matter.compensation_paid)) == (
        "trial",
        "1000.00",
        "250.00",
    )
    assert Hearing.objects.get(pk=hearing.pk).held_at is not None


def test_bad_input_on_the_hearing_form_keeps_what_was_typed(world, client_for, cara) -> None:
    response = client_for(cara).post(
        f"/legal/matters/{world['matter'].pk}/hearings/new/",
        {"scheduled_at": "not a date", "purpose": "Kept text"},
    )
    body = response.content.decode()
    assert response.status_code == 400 and "Kept text" in body and "Enter a valid date/time" in body


def test_an_import_with_problems_shows_them_and_imports_nothing(world, client_for) -> None:
    client = client_for(world["root"])
    document = {"format": "safeguard.legal-profile/1", "jurisdiction": {"code": "GB", "name": "Testland"},
                "laws": [{"citation": "New 1", "title": "", "provisions": []}]}  # fmt: skip
    upload = SimpleUploadedFile("gb.json", json.dumps(document).encode(), content_type="application/json")
    response = client.post("/legal/GB/import/", {"file": upload})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Nothing was imported" in body and "laws[0]" in body and "title" in body
    assert not LegalMatter.objects.filter(jurisdiction__name="Testland").exists()
    assert not AuditEvent.objects.filter(action="legal.profile.imported").exists()


def test_the_public_api_serves_the_registry_without_sign_in(world, client) -> None:
    assert [row["code"] for row in client.get("/api/v1/legal/instruments").json()] == ["palermo"]
    profile = client.get("/api/v1/legal/jurisdictions/GB").json()
    assert profile["illustrative"] is True and profile["ages"]["hazardous_work"] == 18
    assert [duty["within_hours"] for duty in profile["reporting_duties"]] == [24]
    assert [a["name"] for a in profile["authorities"]] == ["Test Police"]
    assert client.get("/api/v1/legal/jurisdictions/ZZ").status_code == 404


def test_the_matters_api_answers_the_team_and_no_one_else(world, cara, beth, client_for) -> None:
    case, matter = world["case"], world["matter"]
    team = client_for(cara)
    listing = team.get(f"/api/v1/legal/cases/{case.pk}/matters").json()
    assert [(row["id"], row["kind"], row["jurisdiction"]) for row in listing] == [
        (matter.pk, "criminal", "GB")
    ]
    assert [hearing["purpose"] for hearing in listing[0]["hearings"]] == ["Trial"]
    created = team.post(
        f"/api/v1/legal/cases/{case.pk}/matters",
        {"kind": "asylum", "jurisdiction": "GB"},
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["stage"] == "filed"
    bad = team.post(
        f"/api/v1/legal/cases/{case.pk}/matters", {"kind": "duel"}, content_type="application/json"
    )
    assert bad.status_code == 400 and "kind" in bad.json()["error"]["fields"]
    other = client_for(beth)
    assert other.get(f"/api/v1/legal/matters/{matter.pk}").status_code == 404
    denied = other.post(
        f"/api/v1/legal/cases/{case.pk}/matters", {"kind": "asylum"}, content_type="application/json"
    )
    assert denied.status_code == 404
    assert LegalMatter.objects.filter(case=case).count() == 2
    hearing = team.post(
        f"/api/v1/legal/matters/{matter.pk}/hearings",
        {"scheduled_at": (timezone.now() - timedelta(days=1)).isoformat(), "purpose": "Past"},
        content_type="application/json",
    )
    assert hearing.status_code == 400 and "scheduled_at" in hearing.json()["error"]["fields"]


def test_the_schema_names_the_legal_endpoints(client, db) -> None:
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    for path in (
        "/api/v1/legal/instruments",
        "/api/v1/legal/jurisdictions/{code}",
        "/api/v1/legal/matters/{id}",
        "/api/v1/legal/cases/{case_id}/matters",
    ):
        assert path in schema


def test_forged_posts_get_not_found_not_a_server_error(world, client_for, alice) -> None:
    assert client_for(alice).post("/legal/duties/", {"duty": "x'; drop", "taken_on": "1"}).status_code == 404
    root = client_for(world["root"])  # one sign-in: a TOTP code is accepted once
    assert root.post("/legal/GB/editors/", {"revoke": "abc"}).status_code == 404
    assert root.get("/legal/GB/export.xml").status_code == 404
    assert root.get("/legal/GB/nonsense/new/").status_code == 404
