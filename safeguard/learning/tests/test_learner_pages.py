"""Public learner pages, the anonymity of public learners, certificates and their verification."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.test import Client

from safeguard.intake.tests.test_anonymity import database_text
from safeguard.learning import services
from safeguard.learning.certificates import code_for
from safeguard.learning.models import Attempt, Certificate, Course, Enrolment
from safeguard.learning.tests.conftest import small_course
from safeguard.testing.fixtures import actor_of

pytestmark = pytest.mark.django_db

ADDRESS = "203.0.113.91"
AGENT = "LearnerAgent/7.7 (Fictional; Learner-Device-QRS)"


def right_answers(course: Course, language: str) -> dict[str, Any]:
    assert course.published_version is not None
    post: dict[str, Any] = {}
    for question in course.published_version.language(language)["questions"]:
        field = f"q_{question['id']}"
        if question["type"] == "ordering":
            for position, option in enumerate(question["options"], start=1):
                post[f"{field}_{option['id']}"] = str(position)
        else:
            post[field] = [o["id"] for o in question["options"] if o.get("correct")]
    return post


def test_every_learner_page_answers(starter_courses: dict[str, Course]) -> None:
    client = Client()
    slug = starter_courses["young_people"].slug
    pages = {
        "/learn/": 200,
        "/learn/hotlines/": 200,
        "/learn/signs/young_people/": 200,
        "/learn/signs/young_people/leaflet.pdf": 200,
        "/learn/signs/nobody/": 404,
        f"/learn/{slug}/": 200,
        f"/learn/{slug}/lessons/1/": 200,
        f"/learn/{slug}/lessons/5/": 200,
        f"/learn/{slug}/lessons/6/": 404,
        f"/learn/{slug}/quiz/": 200,
        "/learn/verify/": 200,
        "/learn/verify/AAAA-BBBB-CCCC-DDDD/": 404,
        "/learn/no-such-course/": 404,
    }
    assert {url: client.get(url).status_code for url in pages} == pages
    assert client.get("/learn/signs/young_people/leaflet.pdf").content.startswith(b"%PDF")
    spanish = client.get(f"/learn/{slug}/lessons/2/?lang=es").content.decode()
    assert "Ofertas de trabajo demasiado buenas para ser verdad" in spanish


def test_a_public_learner_leaves_nothing_identifying(starter_courses: dict[str, Course], caplog: Any) -> None:
    caplog.set_level(logging.DEBUG)
    course = starter_courses["young_people"]
    client = Client(REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=AGENT, HTTP_X_FORWARDED_FOR=ADDRESS)
    client.get(f"/learn/{course.slug}/lessons/1/?lang=es")
    wrong = client.post(f"/learn/{course.slug}/quiz/", {"q_q1": "false", "q_q2": "a"})
    assert wrong.status_code == 200 and "Not passed yet" in wrong.content.decode()
    passed = client.post(f"/learn/{course.slug}/quiz/", right_answers(course, "es"))
    assert "You passed!" in passed.content.decode()
    assert client.session["learning"][course.slug] == {
        "version": course.published_version_id, "language": "es", "done": [1], "attempts": 2, "passed": True, "best": "100.00",
    }  # fmt: skip
    assert (Enrolment.objects.count(), Attempt.objects.count(), Certificate.objects.count()) == (0, 0, 0)
    stored = database_text()
    for secret in (ADDRESS, "203.0.113", AGENT, "LearnerAgent", "Learner-Device-QRS"):
        assert secret not in stored
        assert secret not in caplog.text
    assert course.slug in stored  # sanity: the scan sees what is stored in clear


def test_a_staff_learner_earns_a_certificate_that_anyone_can_verify(
    starter_courses: dict[str, Course],
    bob: Any,
    org_a: Any,
    alice: Any,
    charlie: Any,
    org_b: Any,
    client_for: Any,
) -> None:
    course = starter_courses["frontline"]
    client = client_for(bob)
    assert client_for(charlie).get("/learn/certificates/1.pdf").status_code == 404
    client.get(f"/learn/{course.slug}/")
    response = client.post(f"/learn/{course.slug}/quiz/", right_answers(course, "en"))
    assert "Download your certificate" in response.content.decode()
    certificate = Certificate.objects.get()
    assert (certificate.user, certificate.percent, certificate.course_title) == (
        bob, 100, "Identify and refer: a course for front-line workers",
    )  # fmt: skip
    code = code_for(certificate.serial)
    assert code not in database_text()  # only the digest is stored
    pdf = client.get(f"/learn/certificates/{certificate.pk}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    public = Client()
    valid = public.get(f"/learn/verify/{code}/")
    assert valid.status_code == 200 and "Valid certificate" in valid.content.decode()
    assert public.get(f"/learn/verify/{code.lower().replace('-', '')}/").status_code == 200
    forged = code[:-1] + ("A" if code[-1] != "A" else "B")
    assert public.get(f"/learn/verify/{forged}/").status_code == 404

    with pytest.raises(Exception, match="certificate of another organisation"):
        services.certificate_revoke(actor=actor_of(charlie, org_b), certificate=certificate, reason="no")
    services.certificate_revoke(
        actor=actor_of(alice, org_a), certificate=certificate, reason="issued in error"
    )
    revoked = public.get(f"/learn/verify/{code}/")
    assert revoked.status_code == 200 and "This certificate was revoked" in revoked.content.decode()


def test_a_private_course_is_not_found_by_another_organisation_or_the_public(
    alice: Any, org_a: Any, charlie: Any, client_for: Any
) -> None:
    actor = actor_of(alice, org_a)
    course = services.course_create(actor=actor, content=small_course())
    services.course_publish(actor=actor, course=course)
    as_alice, as_charlie = client_for(alice), client_for(charlie)
    assert as_alice.get("/learn/alpha-course/").status_code == 200
    assert as_charlie.get("/learn/alpha-course/").status_code == 404
    assert as_charlie.get("/learn/manage/alpha-course/").status_code == 404
    assert Client().get("/learn/alpha-course/").status_code == 404
    assert as_alice.get("/learn/manage/alpha-course/").status_code == 200


def test_authoring_pages_save_a_draft_and_preview(alice: Any, bob: Any, client_for: Any) -> None:
    client = client_for(alice)
    form = {
        "slug": "alpha-new", "audience": "parents", "pass_mark": "60", "max_attempts": "0", "language": "en",
        "title": "New", "summary": "", "lessons": "# One\n\nHello *there*.\n",
        "quiz": "## q1 true_false 1\nSafe?\n- True | yes\n- False | no\n",
    }  # fmt: skip
    assert client.post("/learn/manage/new/", form).status_code == 302
    assert (
        Course.objects.get(slug="alpha-new").versions.get().content["languages"]["en"]["questions"][0]["id"]
        == "q1"
    )
    preview = client.post("/learn/manage/preview/", {"lessons": "# One\n\n<script>x</script>*hi*"})
    assert (
        preview.content.decode().strip()
        == '<article class="lesson-body"><h3>One</h3>\n<p><em>hi</em></p></article>'
    )
    assert client_for(bob).post("/learn/manage/new/", {**form, "slug": "bob-new"}).status_code == 403
    assert not Course.objects.filter(slug="bob-new").exists()
