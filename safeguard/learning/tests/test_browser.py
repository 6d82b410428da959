"""On a phone: a young person takes the course in Spanish and passes; axe on every learner page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from safeguard.learning.selectors import starter_packages
from safeguard.learning.services import starter_course_install
from safeguard.testing.browser import PHONE, accessibility_violations, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUG = "stay-safe-young-people"


def test_a_young_person_takes_the_course_in_spanish_on_a_phone(page: Any) -> None:
    """In Spanish from the first page (labels as well as lessons), with a learner account, to
    the certificate; axe checks every page on the way."""
    for package in starter_packages():
        starter_course_install(content=package)
    page.set_default_timeout(60_000)  # a loaded CI machine answers the first page slowly
    expect.set_options(timeout=30_000)
    page.set_viewport_size(PHONE)
    checked: dict[str, list[str]] = {}

    def check(name: str) -> None:
        checked[name] = accessibility_violations(page)

    page.goto(page.base_url + "/learn/")
    page.get_by_label("Language").select_option("es")
    expect(page.get_by_role("heading", name="Aprender a proteger a los niños")).to_be_visible()
    check("/learn/")
    for url in [
        "/learn/hotlines/",
        "/learn/signs/young_people/",
        "/learn/verify/",
        "/learn/verify/AAAA-BBBB-CCCC-DDDD/",
    ]:
        page.goto(page.base_url + url)
        check(url)
    page.goto(page.base_url + "/learn/")
    page.get_by_role("link", name="Guarde su progreso y obtenga certificados").click()
    expect(page.get_by_role("heading", name="Cuenta de estudiante", exact=True)).to_be_visible()
    check("/learn/account/")
    page.get_by_label("Dónde vive").select_option("ES")
    page.get_by_role("button", name="Crear mi cuenta").click()
    expect(page.get_by_role("heading", name="Su código de estudiante")).to_be_visible()
    check("/learn/account/ with the code")

    page.goto(page.base_url + f"/learn/{SLUG}/")
    expect(page.get_by_role("heading", name="Mantente a salvo: curso para jóvenes")).to_be_visible()
    check("course")
    page.get_by_role("button", name="Empezar el curso").click()
    for number in range(1, 6):
        expect(page.get_by_text(f"Lección {number} de 5")).to_be_visible()
        check(f"lesson {number}")
        if number < 5:
            page.get_by_role("button", name="Lección siguiente").click()
    page.get_by_role("button", name="Hacer el cuestionario").click()
    check("quiz")
    _answer_everything_right(page, "es")
    page.get_by_role("button", name="Comprobar mis respuestas").click()
    expect(page.get_by_role("heading", name="¡Aprobado!")).to_be_visible()
    expect(page.get_by_text("Su puntuación: 100")).to_be_visible()
    check("results")
    screenshot(page, "learning-young-person-passed-es-phone")
    with page.expect_download() as download:
        page.get_by_role("button", name="Descargar su certificado (PDF)").click()
    assert Path(download.value.path()).read_bytes()[:4] == b"%PDF"
    assert checked == {name: [] for name in checked}


def _answer_everything_right(page: Any, language: str) -> None:
    package = next(p for p in starter_packages() if p["slug"] == SLUG)
    for question in package["languages"][language]["questions"]:
        group = page.get_by_role("group", name=question["prompt"])
        if question["type"] == "ordering":
            for position, option in enumerate(question["options"], start=1):
                group.get_by_label(option["text"]).select_option(str(position))
        else:
            for option in question["options"]:
                if option.get("correct"):
                    group.get_by_label(option["text"], exact=True).check()


def test_the_course_works_offline_after_the_first_visit(page: Any) -> None:
    for package in starter_packages():
        starter_course_install(content=package)
    page.set_default_timeout(60_000)
    expect.set_options(timeout=30_000)
    page.set_viewport_size(PHONE)
    page.goto(page.base_url + f"/learn/{SLUG}/?lang=es")
    expect(page.locator("#offline-status")).to_contain_text("kept on this device")
    try:
        page.context.set_offline(True)
        page.goto(page.base_url + f"/learn/{SLUG}/lessons/3/")
        expect(page.get_by_text("Lesson 3 of 5")).to_be_visible()
        page.get_by_role("button", name="Next lesson").click()
        expect(page.get_by_text("Lesson 4 of 5")).to_be_visible()
        page.goto(page.base_url + f"/learn/{SLUG}/quiz/")
        _answer_everything_right(page, "es")
        page.get_by_role("button", name="Check my answers").click()
        expect(page.locator("#offline-status")).to_contain_text("You are offline. Your answers are kept")
        assert page.evaluate("JSON.parse(localStorage.getItem('safeguard-learning-answers')).length") == 1
    finally:
        page.context.set_offline(False)
    # Back online the kept answers are sent and the learner lands on the course page, passed.
    expect(page.get_by_text("You passed this quiz.")).to_be_visible()
    assert page.evaluate("localStorage.getItem('safeguard-learning-answers')") is None
    # The lessons read offline came from the device: the server never saw them opened.
    expect(page.locator(".lesson-list li.done")).to_have_count(0)
    screenshot(page, "learning-offline-synced-phone")


def test_every_authoring_and_coverage_page_meets_wcag_on_a_phone(page: Any) -> None:
    from safeguard.accounts.models import Organisation
    from safeguard.accounts.roles import OrganisationKind, Role
    from safeguard.learning.services import course_create
    from safeguard.testing.fixtures import TEST_PASSWORD, actor_of, make_member

    from .conftest import small_course

    for package in starter_packages():
        starter_course_install(content=package)
    organisation = Organisation.objects.create(
        name="Alpha Learning (test)", slug="alpha-learning", kind=OrganisationKind.NGO, country="ES"
    )
    admin = make_member(organisation, Role.ORG_ADMIN, email="ada@alpha.example", name="Ada Admin")
    course_create(actor=actor_of(admin, organisation), content=small_course())
    page.set_default_timeout(60_000)
    expect.set_options(timeout=30_000)
    sign_in(page, admin, TEST_PASSWORD)
    page.set_viewport_size(PHONE)
    checked: dict[str, list[str]] = {}
    for url, heading in [
        ("/learn/manage/", "Our courses"),
        ("/learn/manage/new/", "Write a course"),
        ("/learn/manage/alpha-course/", "alpha-course"),
        ("/learn/manage/import/", "Import a course"),
        ("/learn/manage/assignments/", "Course assignments"),
        ("/learn/manage/coverage/", "Training coverage"),
        (f"/learn/{SLUG}/", "Stay safe: a course for young people"),
    ]:
        page.goto(page.base_url + url)
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        checked[url] = accessibility_violations(page)
    screenshot(page, "learning-coverage-phone")
    assert checked == {url: [] for url in checked}
