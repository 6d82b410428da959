"""The optional, coarse location picker of the report forms: a region, then maybe a point."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from safeguard.accounts.models import Organisation
from safeguard.accounts.roles import Role
from safeguard.core import boundaries
from safeguard.core.geography import subdivision_choices
from safeguard.core.maps import region_picker_svg
from safeguard.intake.choices import Channel
from safeguard.intake.forms import PublicReportForm
from safeguard.intake.models import Report
from safeguard.intake.services import ReportInput, report_submit
from safeguard.intake.tests.test_public_form import ANSWERS, send
from safeguard.risk import selectors
from safeguard.risk.models import Region, RegionLevel, ReportPlace
from safeguard.testing.fixtures import make_member


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


def _region_template(page: str, code: str) -> str:
    found = re.search(rf'<template data-region="{code}" data-name="[^"]*">(.*?)</template>', page, re.S)
    assert found, f"no picker map of {code}"
    return found.group(1)


@pytest.mark.django_db
def test_the_what_step_carries_a_map_of_every_region_and_hidden_point_fields() -> None:
    page = send(Client(), 0, **ANSWERS).content.decode()
    assert "Step 2 of 6" in page
    madrid = _region_template(page, "ES-MD")
    assert 'data-projection="' in madrid and 'class="picker-region"' in madrid
    drawn = [code for code, _name in subdivision_choices("ES") if boundaries.has_shape(code)]
    assert (
        len(re.findall(r'<template data-region="ES-', page)) == len(drawn) == 69
    )  # provinces and communities
    assert '<input type="hidden" name="latitude"' in page
    assert "Map point: latitude" not in page  # no number boxes: the map fills the point
    assert "location-picker.js" in page
    assert "rounded to about 11 km, never precise enough to identify a home" in page
    assert "Clear the point" in page


@pytest.mark.django_db
def test_other_steps_carry_no_picker() -> None:
    page = send(Client(), 1, **ANSWERS).content.decode()
    assert "Step 3 of 6" in page
    assert "<template data-region" not in page and "location-picker.js" not in page
    assert '<input type="hidden" name="subdivision" value="ES-MD"' in page


@pytest.mark.django_db
def test_a_refused_point_is_shown_by_the_picker_and_kept_for_the_next_try() -> None:
    response = send(Client(), 1, **{**ANSWERS, "latitude": "41.3874", "longitude": "2.1686"})
    assert response.status_code == 400
    page = response.content.decode()
    errors = re.search(r'<div class="field-error" id="location-picker-errors">(.*?)</div>', page, re.S)
    assert errors and "outside the region you chose" in errors.group(1)
    assert 'href="#location-picker-errors"' in page  # the summary links to the visible message
    assert 'name="latitude" value="41.3874"' in page


def test_picker_projection_turns_the_drawn_outline_back_into_its_coordinates() -> None:
    geometry = boundaries.shape("ES-MD")
    assert geometry is not None
    svg = region_picker_svg("ES-MD", geometry, title="Map of <Madrid>")
    assert 'aria-label="Map of &lt;Madrid&gt;"' in svg
    projection = re.search(r'data-projection="([^"]+)"', svg)
    assert projection
    west, north, per_lon, per_lat, pad = (float(n) for n in projection.group(1).split())
    first = re.search(r'd="M([\d.]+),([\d.]+)', svg)
    assert first
    x, y = float(first.group(1)), float(first.group(2))
    lon, lat = west + (x - pad) / per_lon, north - (y - pad) / per_lat  # what location-picker.js does
    ring = geometry["coordinates"][0][0]
    assert abs(lon - ring[0][0]) < 0.01 and abs(lat - ring[0][1]) < 0.01
    assert boundaries.point_in_geometry(-3.70, 40.42, geometry)  # central Madrid: a click there is kept
    assert region_picker_svg("XX-00", {"type": "MultiPolygon", "coordinates": []}, title="none") == ""


@pytest.mark.django_db
def test_operator_intake_offers_the_organisations_own_country_regions(
    org_a: Organisation, org_b: Organisation, client_for: Any
) -> None:
    Organisation.objects.filter(pk=org_a.pk).update(country="ES")
    Organisation.objects.filter(pk=org_b.pk).update(country="PT")
    spain = client_for(make_member(org_a, Role.OPERATOR)).get("/reports/new/").content.decode()
    portugal = client_for(make_member(org_b, Role.OPERATOR)).get("/reports/new/").content.decode()
    assert '<option value="ES" selected>' in spain and '<option value="ES-MD">' in spain
    assert '<template data-region="ES-MD"' in spain and "PT-13" not in spain
    assert '<option value="PT" selected>' in portugal and '<template data-region="PT-13"' in portugal
    assert "ES-MD" not in portugal
    # A country the operator chose wins over the organisation's, and what was typed is kept.
    answered = client_for(make_member(org_a, Role.OPERATOR)).post(
        "/reports/new/", {"channel": "phone", "country": "PT", "subdivision": "ES-MD", "narrative": "kept"}
    )
    assert answered.status_code == 400
    page = answered.content.decode()
    assert '<option value="PT" selected>' in page and '<template data-region="PT-13"' in page
    assert "kept</textarea>" in page
