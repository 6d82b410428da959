"""The public report and follow-up forms need no cookie and set none (decision 090).

Every request here is made by a client that enforces CSRF checks, as a browser with cookies
blocked would meet them, and never sends a cookie back.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from safeguard.intake.models import Report, ReportMessage
from safeguard.intake.tests.test_public_form import ANSWERS

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["/", "/report/", "/report/?country=ES", "/report/follow-up/", "/learn/", "/learn/hotlines/"]


def cookieless() -> Client:
    return Client(enforce_csrf_checks=True)


def assert_no_cookie(response: Any) -> None:
    assert not response.cookies, f"{response.request['PATH_INFO']} set {list(response.cookies)}"
    assert not response.has_header("Set-Cookie")


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_set_no_cookie(path: str) -> None:
    response = cookieless().get(path)
    assert response.status_code == 200
    assert_no_cookie(response)
    assert 'name="csrfmiddlewaretoken"' not in response.content.decode()


def test_a_report_is_sent_step_by_step_without_any_cookie(org_a: Any) -> None:
    for step in range(4):
        response = cookieless().post("/report/", {**ANSWERS, "step": str(step), "action": "next"})
        assert response.status_code == 200
        assert_no_cookie(response)
    response = cookieless().post("/report/", {**ANSWERS, "step": "4", "action": "submit"})
    assert response.status_code == 303
    assert_no_cookie(response)
    receipt = cookieless().get(response["Location"])  # the receipt page needs no cookie either
    assert receipt.status_code == 200 and "Your receipt code" in receipt.content.decode()
    assert_no_cookie(receipt)
    assert Report.objects.count() == 1


def test_a_refused_report_sets_no_cookie_either(org_a: Any, settings: Any) -> None:
    settings.INTAKE_PUBLIC_REPORT_RATE = "0/h"
    response = cookieless().post(
        "/report/", {**ANSWERS, "child_in_danger": "yes", "step": "4", "action": "submit"}
    )
    assert response.status_code == 429  # asked for a proof of work
    assert_no_cookie(response)


def test_follow_up_works_without_any_cookie(make_report: Any) -> None:
    report = make_report()
    response = cookieless().post(
        "/report/follow-up/", {"receipt": report.receipt, "message": "More details."}
    )
    assert response.status_code == 200
    assert_no_cookie(response)
    assert [message.body for message in ReportMessage.objects.filter(report=report)] == ["More details."]


def test_choosing_a_language_sets_only_the_language_cookie() -> None:
    response = cookieless().post("/i18n/setlang/", {"language": "es", "next": "/report/"})
    assert response.status_code == 302
    assert list(response.cookies) == ["django_language"]


def test_staff_forms_still_need_the_csrf_cookie(alice: Any) -> None:
    response = cookieless().post("/accounts/login/", {"username": alice.email, "password": "x"})
    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()
