"""The optional, coarse location picker of the report forms: a region, then maybe a point."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from safeguard.accounts.models import Organisation
from safeguard.intake.choices import Channel
from safeguard.intake.forms import PublicReportForm
from safeguard.intake.models import Report
from safeguard.intake.services import ReportInput, report_submit
from safeguard.intake.tests.test_public_form import ANSWERS, send
from safeguard.risk import selectors
from safeguard.risk.models import Region, RegionLevel, ReportPlace


def _form(**answers: Any) -> PublicReportForm:
    return PublicReportForm(data={**ANSWERS, **answers})


@pytest.mark.django_db
def test_region_select_defaults_to_not_saying_and_says_it_is_optional() -> None:
    form = PublicReportForm(initial={"country": "ES"})
    choices = list(form.fields["subdivision"].choices)  # type: ignore[attr-defined]
    assert choices[0] == ("", "I don't know / prefer not to say")
    assert ("ES-MD", "Madrid, Comunidad de") in choices or any(code == "ES-MD" for code, _ in choices)
    assert "never precise enough to identify a home" in str(form.fields["subdivision"].help_text)


@pytest.mark.django_db
def test_chosen_region_is_stored_placed_and_counted_in_targeting(
    org_a: Organisation, org_b: Organisation, django_capture_on_commit_callbacks: Any
) -> None:
    spain = Region.objects.create(code="ES", name="Spain", level=RegionLevel.COUNTRY, country_code="ES")
    madrid = Region.objects.create(
        code="ES-MD", name="Madrid", level=RegionLevel.SUBDIVISION, parent=spain, country_code="ES"
    )
    for organisation in (org_a, org_b):  # a second organisation's report counts in the same region
        with django_capture_on_commit_callbacks(execute=True):
            report_submit(
                data=ReportInput(narrative="Fictional test narrative.", country="ES", subdivision="ES-MD"),
                channel=Channel.PHONE,
                organisation=organisation,
            )
    places = list(ReportPlace.objects.values_list("subdivision", "district"))
    assert places == [("ES-MD", None), ("ES-MD", None)]
    assert selectors.report_counts([spain, madrid]) == {spain.pk: 2, madrid.pk: 2}


@pytest.mark.django_db
def test_not_saying_stores_no_place(org_a: Organisation, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        report_submit(
            data=ReportInput(narrative="Fictional test narrative.", country="ES"),
            channel=Channel.PHONE,
            organisation=org_a,
        )
    assert not ReportPlace.objects.exists()


@pytest.mark.django_db
def test_point_is_coarsened_to_a_tenth_of_a_degree_before_storing(org_a: Organisation) -> None:
    report = report_submit(
        data=ReportInput(
            narrative="Fictional test narrative.",
            country="ES",
            subdivision="ES-MD",
            latitude=Decimal("40.41650"),
            longitude=Decimal("-3.75260"),
        ),
        channel=Channel.PHONE,
        organisation=org_a,
    ).report
    report.refresh_from_db()
    assert (report.latitude, report.longitude) == (Decimal("40.40000"), Decimal("-3.80000"))


@pytest.mark.django_db
def test_point_inside_the_chosen_region_is_accepted() -> None:
    form = _form(latitude="40.4165", longitude="-3.7026")
    assert form.is_valid(), form.errors


@pytest.mark.django_db
def test_point_outside_the_chosen_region_is_refused_and_answers_kept() -> None:
    form = _form(latitude="41.3874", longitude="2.1686")  # Barcelona, not Madrid
    assert not form.is_valid()
    assert "outside the region you chose" in str(form.errors["latitude"])
    assert form["subdivision"].value() == "ES-MD"


@pytest.mark.django_db
def test_unknown_region_is_refused_with_a_message() -> None:
    form = _form(subdivision="FR-IDF")
    assert not form.is_valid()
    assert form.errors["subdivision"]


@pytest.mark.django_db
def test_public_form_with_region_and_point_sets_no_cookie(org_a: Organisation) -> None:
    client = Client()
    answers = {**ANSWERS, "latitude": "40.4165", "longitude": "-3.7026"}
    for step in range(4):
        response = send(client, step, **answers)
        assert response.status_code == 200
        assert not response.cookies
    sent = send(client, 4, "submit", **answers)
    assert sent.status_code == 303
    assert not sent.cookies
    report = Report.objects.get()
    assert (report.subdivision, report.latitude, report.longitude) == (
        "ES-MD",
        Decimal("40.4"),
        Decimal("-3.7"),
    )
