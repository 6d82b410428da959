"""Learner accounts for the public: a code instead of an e-mail, progress kept, a certificate,
coverage by the region chosen; nothing about the person beyond what they chose to give."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client

from safeguard.accounts.models import Organisation, User
from safeguard.learning.models import Certificate, Course, Enrolment, Learner, Statement
from safeguard.learning.selectors import completions_by_region
from safeguard.learning.services import learner_register, learner_sign_in

from .test_learner_pages import right_answers

pytestmark = pytest.mark.django_db


def _register(client: Client, **fields: str) -> tuple[str, str]:
    response = client.post("/learn/account/", {"action": "register", **fields})
    html = response.content.decode()
    found = re.search(r'<p class="learner-code"><strong>([A-Z0-9-]+)</strong>', html)
    return (found.group(1) if found else ""), html


def test_a_learner_account_keeps_progress_and_earns_a_certificate(starter_courses: dict[str, Course]) -> None:
    course = starter_courses["young_people"]
    client = Client()
    code, html = _register(client, name="Fictional Learner", region="ES")
    assert re.fullmatch(r"[A-Z0-9]{4}(-[A-Z0-9]{4}){4}", code), html
    learner = Learner.objects.get()
    assert (learner.region, learner.organisation, learner.name) == ("ES", None, "Fictional Learner")
    assert code.replace("-", "")[8:] not in learner.secret_hash  # only a hash of the secret part
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM learning_learner")
        assert "Fictional" not in cursor.fetchone()[0]  # encrypted at rest

    client.get(f"/learn/{course.slug}/lessons/1/")
    response = client.post(f"/learn/{course.slug}/quiz/", right_answers(course, "en"))
    assert "You passed!" in response.content.decode()
    certificate = Certificate.objects.get(learner=learner)
    assert certificate.learner_name == "Fictional Learner"
    assert f'href="/learn/certificates/{certificate.pk}.pdf"' in response.content.decode()
    assert client.get(f"/learn/certificates/{certificate.pk}.pdf").content.startswith(b"%PDF")
    assert Client().get(f"/learn/certificates/{certificate.pk}.pdf").status_code == 404
    assert Statement.objects.filter(enrolment__learner=learner, organisation=None).count() == 12

    # Sign out, then back in with the code on another device: the progress is there.
    client.post("/learn/account/", {"action": "sign_out"})
    assert "You passed this quiz." not in client.get(f"/learn/{course.slug}/").content.decode()
    other = Client()
    signed_in = other.post("/learn/account/", {"action": "sign_in", "code": code.lower()}, follow=True)
    assert "Signed in. Your progress is kept in your account." in signed_in.content.decode()
    assert "You passed this quiz." in other.get(f"/learn/{course.slug}/").content.decode()
    assert Enrolment.objects.get(learner=learner).lessons_done == [1]


def test_bad_input_gets_a_clear_message(starter_courses: dict[str, Course], org_a: Organisation) -> None:
    client = Client()
    response = client.post(
        "/learn/account/", {"action": "register", "region": "QQ", "organisation": "nobody"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Select a valid choice. QQ is not one of the available choices." in html
    assert "No organisation has this short name: check it, or leave it empty." in html
    wrong = client.post("/learn/account/", {"action": "sign_in", "code": "AAAA-BBBB-CCCC-DDDD-EEEE"})
    assert wrong.status_code == 400
    assert "This code is not right. Check it and try again." in wrong.content.decode()
    assert Learner.objects.count() == 0
    _learner, code = learner_register(name="", region="ES", organisation=org_a)
    assert learner_sign_in(code=code) == _learner
    assert learner_sign_in(code=code[:-1] + ("A" if code[-1] != "A" else "B")) is None


def test_learner_accounts_count_for_coverage_where_they_chose(
    starter_courses: dict[str, Course],
    org_a: Organisation,
    org_b: Organisation,
    alice: User,
    client_for: Callable[[User], Client],
) -> None:
    course = starter_courses["parents"]
    for region, organisation in (("ES", ""), ("FR", org_a.slug)):
        client = Client()
        _register(client, region=region, organisation=organisation)
        client.post(f"/learn/{course.slug}/quiz/", right_answers(course, "en"))
    # Without an organisation: counted for everyone; with org A: for org A only.
    assert completions_by_region(organisation=org_a) == {"ES": 1, "FR": 1}
    assert completions_by_region(organisation=org_b) == {"ES": 1}
    exported = client_for(alice).get("/learn/manage/records.json").json()["statements"]
    assert {s["actor"]["account"]["name"] for s in exported} == {str(Learner.objects.get(region="FR").key)}


def test_wrong_codes_are_limited_per_connection(settings: object, org_a: Organisation) -> None:
    settings.INTAKE_FOLLOW_UP_FAILURE_RATE = "2/h"  # type: ignore[attr-defined]
    _learner, code = learner_register(name="", region="ES", organisation=None)
    client = Client()
    for _ in range(2):
        assert client.post("/learn/account/", {"action": "sign_in", "code": "A" * 20}).status_code == 400
    refused = client.post("/learn/account/", {"action": "sign_in", "code": code})
    assert "Too many tries from this connection." in refused.content.decode()
    assert "learning_account" not in client.session


def test_a_learner_deletes_their_account_and_everything_in_it(starter_courses: dict[str, Course]) -> None:
    from safeguard.core.models import AuditEvent

    course = starter_courses["young_people"]
    client, other = Client(), Client()
    code, _html = _register(client, name="Fictional Learner", region="ES")
    _register(other, name="Another Learner", region="FR")
    for browser in (client, other):
        browser.post(f"/learn/{course.slug}/quiz/", right_answers(course, "en"))
    leaving = Learner.objects.get(region="ES")
    assert Certificate.objects.filter(learner=leaving).count() == 1

    # Without the tick nothing is deleted, and the page says why.
    refused = client.post("/learn/account/", {"action": "delete"})
    assert refused.status_code == 400
    assert "Tick the box to confirm, or keep your account." in refused.content.decode()
    assert Learner.objects.filter(pk=leaving.pk).exists()

    deleted = client.post("/learn/account/", {"action": "delete", "confirm": "on"}, follow=True)
    assert "Your learner account and everything in it are deleted." in deleted.content.decode()
    assert not Learner.objects.filter(pk=leaving.pk).exists()
    assert not Enrolment.objects.filter(learner_id=leaving.pk).exists()
    assert not Certificate.objects.filter(learner_id=leaving.pk).exists()
    assert not Statement.objects.filter(enrolment__learner_id=leaving.pk).exists()
    assert learner_sign_in(code=code) is None
    (event,) = AuditEvent.objects.filter(action="learning.learner_deleted")
    assert event.detail == {"courses": 1}
    # The other learner keeps everything; a browser with no account cannot delete anything.
    stays = Learner.objects.get(region="FR")
    assert Certificate.objects.filter(learner=stays).count() == 1
    Client().post("/learn/account/", {"action": "delete", "confirm": "on"})
    assert Learner.objects.count() == 1
