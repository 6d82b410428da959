"""Every form of every page answers wrong dates, numbers and choices with a field error, never 5xx.

The forms are collected, not listed: every page of the URL configuration is opened (by a member
holding every role in org A, by a platform administrator, or anonymously for the public pages),
and every Django form in the page's context is matched to the ``<form>`` of the HTML that
carries its fields, with that form's action and method. Then, for each date, number and choice
field, one wrong value at a time is submitted with the other fields at their initial values.
The answer must be 200 or 400 with the page's form showing an error on that very field; a
page that redirects instead, answers 5xx, or accepts the value is reported.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import pytest
from django import forms
from django.contrib import messages
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from safeguard.accounts.models import Organisation, User
from safeguard.testing.fixtures import UserFactory, make_member, signed_in_client

pytestmark = pytest.mark.django_db

ALL_ROLES = ("operator", "caseworker", "supervisor", "analyst", "liaison", "programme_manager", "org_admin")

WRONG_DATES = ["2026-02-30", "not a date"]
WRONG_NUMBERS = ["abc", "9" * 25]
WRONG_CHOICES = ["no-such-choice", "999999999"]


def _wrong_values(form_field: forms.Field) -> list[str]:
    if isinstance(form_field, forms.DateField | forms.DateTimeField):
        return WRONG_DATES
    if isinstance(form_field, forms.IntegerField | forms.FloatField | forms.DecimalField):
        return WRONG_NUMBERS
    if isinstance(form_field, forms.ChoiceField | forms.ModelChoiceField):
        return WRONG_CHOICES
    return []


def _url_names(patterns: list[Any], namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if str(pattern.pattern).startswith(("api/", "static")):
                continue
            inner = (
                f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else pattern.namespace
            )
            yield from _url_names(pattern.url_patterns, inner or namespace)
        elif pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern


@dataclass
class HtmlForm:
    action: str
    method: str
    names: set[str] = field(default_factory=set)
    hidden: dict[str, str] = field(default_factory=dict)  # sent as a browser would, e.g. ``action``


class _FormParser(HTMLParser):
    def __init__(self, page: str) -> None:
        super().__init__()
        self.page = page
        self.forms: list[HtmlForm] = []
        self._open: HtmlForm | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "form":
            self._open = HtmlForm(values.get("action") or self.page, (values.get("method") or "get").lower())
            self.forms.append(self._open)
        elif tag in ("input", "select", "textarea") and self._open is not None and values.get("name"):
            self._open.names.add(str(values["name"]))
            if tag == "input" and values.get("type") == "hidden":
                self._open.hidden[str(values["name"])] = values.get("value") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._open = None


def _forms_in(response: Any) -> list[forms.BaseForm]:
    found: dict[int, forms.BaseForm] = {}
    for context in response.context or []:
        for value in context.flatten().values() if hasattr(context, "flatten") else context.values():
            if isinstance(value, forms.BaseForm):
                found[id(value)] = value
    return list(found.values())


def _initial(form: forms.BaseForm) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for bound in form:
        if isinstance(bound.field, forms.FileField):
            continue
        value = bound.value()
        if value is None or value is False:
            continue
        if isinstance(value, list | tuple):
            data[bound.html_name] = [str(item) for item in value]
        elif isinstance(value, dt.date | dt.datetime):
            data[bound.html_name] = value.isoformat()
        else:
            data[bound.html_name] = str(value)
    return data


def _field_error_shown(response: Any, form_class: type, name: str) -> bool:
    return any(
        type(form) is form_class and form.is_bound and name in form.errors for form in _forms_in(response)
    )


def _error_flashed(client: Client, answer: Any) -> bool:
    """A redirect back to a page that shows an error message (the report page's actions)."""
    page = client.get(answer["Location"])
    shown = list(page.context["messages"]) if page.context and "messages" in page.context else []
    return page.status_code == 200 and any(message.level == messages.ERROR for message in shown)


@dataclass
class Findings:
    submissions: int = 0
    forms: set[str] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)


def _world(org_a: Organisation) -> dict[str, dict[str, Any]]:
    """Objects for the pages that name one: a report and a case of org A."""
    from safeguard.cases.services.registration import PersonDetails, case_register
    from safeguard.testing.fixtures import actor_of

    worker = make_member(org_a, "caseworker", email="cara@forms.example", name="Cara Caseworker")
    case = case_register(
        actor=actor_of(worker, org_a),
        person=PersonDetails(first_name="Testa", second_name="Fictionalia", birth_date=dt.date(2012, 5, 1)),
    )
    from safeguard.intake import services
    from safeguard.intake.choices import Channel

    report = services.report_submit(
        data=services.ReportInput(
            narrative="Fictional test narrative about a worrying situation.", country="ES"
        ),
        channel=Channel.PHONE,
        organisation=org_a,
    ).report
    return {"report_id": {"report_id": report.pk}, "pk": {"pk": case.pk}}


def _exercise_page(clients: list[Client], url: str, findings: Findings) -> None:
    """The page as the first caller who may open it, and every form on it."""
    for client in clients:
        response = client.get(url)
        if response.status_code == 200:
            break
    else:
        return
    if "text/html" not in response.get("Content-Type", ""):
        return
    parser = _FormParser(url)
    parser.feed(response.content.decode())
    for form in _forms_in(response):
        for bound in form:
            wrong = _wrong_values(bound.field)
            # The page's <form> holding this field and most of the form's other fields.
            names = {other.html_name for other in form}
            candidates = [f for f in parser.forms if bound.html_name in f.names]
            if not wrong or not candidates:
                continue
            html = max(candidates, key=lambda f: len(f.names & names))
            label = f"{type(form).__module__}.{type(form).__name__}.{bound.name} at {url}"
            findings.forms.add(f"{type(form).__module__}.{type(form).__name__}")
            for value in wrong:
                data = {**html.hidden, **_initial(form), bound.html_name: value}
                send = client.post if html.method == "post" else client.get
                answer = send(html.action, data)
                findings.submissions += 1
                if answer.status_code >= 500:
                    findings.problems.append(f"{label} = {value!r}: {answer.status_code}")
                elif answer.status_code == 302 and _error_flashed(client, answer):
                    continue  # an action form of a record page: its errors come back as messages
                elif answer.status_code not in (200, 400):
                    findings.problems.append(f"{label} = {value!r}: answered {answer.status_code}")
                elif type(form).__module__.startswith("django.forms"):
                    continue  # a formset's management form: Django caps the count itself
                elif not _field_error_shown(answer, type(form), bound.name):
                    findings.problems.append(f"{label} = {value!r}: no error on the field")


def test_every_form_answers_wrong_dates_numbers_and_choices_with_a_field_error(
    org_a: Organisation, settings: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    settings.INTAKE_PUBLIC_REPORT_RATE = "100000/h"
    settings.INTAKE_FOLLOW_UP_RATE = "100000/h"
    settings.INTAKE_FOLLOW_UP_FAILURE_RATE = "100000/h"
    member = make_member(org_a, *ALL_ROLES, email="every.role@forms.example", name="Every Role")
    root: User = UserFactory.create(email="root@forms.example", is_platform_admin=True)
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=root, confirmed=True, name="t")
    kwargs_for = _world(org_a)
    clients = [signed_in_client(member), signed_in_client(root), Client()]
    findings = Findings()
    pages = 0

    for name, pattern in _url_names(get_resolver().url_patterns):
        if name in ("accounts:logout", "portal:health", "set_language"):
            continue
        keys = tuple(pattern.pattern.converters)
        if keys and (len(keys) != 1 or keys[0] not in kwargs_for):
            continue
        url = reverse(name, kwargs=kwargs_for[keys[0]] if keys else None)
        pages += 1
        _exercise_page(clients, url, findings)

    with capsys.disabled():
        print(
            f"\nforms: {pages} pages, {len(findings.forms)} forms, {findings.submissions} wrong submissions, "
            f"{len(findings.problems)} problems"
        )
    assert pages >= 60
    assert len(findings.forms) >= 25
    with capsys.disabled():
        print("\n".join(findings.problems))
    assert "\n".join(findings.problems) == ""
