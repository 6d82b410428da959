"""Pages: the permission matrix (role × organisation × action), the map, the run status, imports."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from safeguard.accounts.roles import Role
from safeguard.risk.models import IndexConfiguration, IndexRun, IndicatorImport, RunStatus
from safeguard.risk.services.indicators import indicator_import
from safeguard.risk.services.runs import run_execute, run_request

VIEWERS = [Role.ANALYST, Role.PROGRAMME_MANAGER, Role.SUPERVISOR]
MANAGERS = [Role.ANALYST, Role.PROGRAMME_MANAGER]
OUTSIDERS = [Role.OPERATOR, Role.CASEWORKER, Role.LIAISON, Role.ORG_ADMIN]


@pytest.mark.parametrize("role", [*VIEWERS, *OUTSIDERS])
def test_run_pages_are_for_risk_viewers_of_the_same_organisation(
    role: str, completed_run: IndexRun, org_a: Any, member: Any, client_for: Any
) -> None:
    client = client_for(member(org_a, role))
    pages = [
        "/risk/",
        f"/risk/runs/{completed_run.pk}/",
        f"/risk/runs/{completed_run.pk}/regions/XT-B/",
        f"/risk/runs/{completed_run.pk}/targeting/",
        f"/risk/runs/{completed_run.pk}/export.csv",
        f"/risk/runs/{completed_run.pk}/export.xlsx",
        f"/risk/runs/{completed_run.pk}/status/",
        "/risk/indicators/",
        "/risk/imports/",
    ]
    expected = 200 if role in VIEWERS else 403
    assert {page: client.get(page).status_code for page in pages} == dict.fromkeys(pages, expected)


@pytest.mark.parametrize("role", VIEWERS)
def test_another_organisations_run_is_not_found(
    role: str, completed_run: IndexRun, org_b: Any, member: Any, client_for: Any
) -> None:
    client = client_for(member(org_b, role))
    for page in (
        f"/risk/runs/{completed_run.pk}/",
        f"/risk/runs/{completed_run.pk}/regions/XT-B/",
        f"/risk/runs/{completed_run.pk}/export.csv",
        f"/risk/runs/{completed_run.pk}/status/",
    ):
        assert client.get(page).status_code == 404, page
    assert completed_run.configuration.name.encode() not in client.get("/risk/").content


def test_signed_out_visitor_is_sent_to_sign_in(completed_run: IndexRun, client: Any) -> None:
    response = client.get(f"/risk/runs/{completed_run.pk}/")
    assert (response.status_code, response["Location"]) == (
        302,
        f"/accounts/login/?next=/risk/runs/{completed_run.pk}/",
    )


@pytest.mark.parametrize("role", [Role.SUPERVISOR, *OUTSIDERS])
def test_import_is_denied_without_risk_manage_and_stores_nothing(
    role: str, districts: Any, indicators: Any, org_a: Any, member: Any, client_for: Any
) -> None:
    client = client_for(member(org_a, role))
    upload = SimpleUploadedFile("v.csv", b"region,year,indicator,value\nXT-A,2021,T.POV,1\n", "text/csv")
    response = client.post(
        "/risk/imports/", {"file": upload, "format": "long", "new_indicator_direction": "1"}
    )
    assert response.status_code == 403
    assert IndicatorImport.objects.count() == 0


@pytest.mark.parametrize("role", [Role.SUPERVISOR, *OUTSIDERS])
def test_running_an_index_is_denied_without_risk_manage(
    role: str, configuration: IndexConfiguration, org_a: Any, member: Any, client_for: Any
) -> None:
    client = client_for(member(org_a, role))
    assert client.post(f"/risk/configurations/{configuration.pk}/run/").status_code == 403
    assert client.get("/risk/configurations/new/").status_code == 403
    assert IndexRun.objects.count() == 0


def test_manager_of_another_organisation_cannot_run_our_configuration(
    configuration: IndexConfiguration, org_b: Any, member: Any, client_for: Any
) -> None:
    client = client_for(member(org_b, Role.PROGRAMME_MANAGER))
    assert client.post(f"/risk/configurations/{configuration.pk}/run/").status_code == 404
    assert IndexRun.objects.count() == 0


def test_import_through_the_page_shows_every_problem(
    districts: Any, indicators: Any, manager: Any, client_for: Any
) -> None:
    client = client_for(manager)
    upload = SimpleUploadedFile(
        "v.csv", b"region,year,indicator,value\nXT-Q,2021,T.POV,1\nXT-A,20x1,T.POV,one\n", "text/csv"
    )
    response = client.post(
        "/risk/imports/", {"file": upload, "format": "long", "new_indicator_direction": "1"}, follow=True
    )
    record = IndicatorImport.objects.get()
    assert response.redirect_chain == [(f"/risk/imports/{record.pk}/", 302)]
    page = response.content.decode()
    assert "Nothing was imported: the file has 3 problems." in page
    for message in (
        "unknown region &#x27;XT-Q&#x27;",
        "year &#x27;20x1&#x27; is not a year",
        "&#x27;one&#x27; is not a number",
    ):
        assert message in page


def test_import_detail_of_another_organisation_is_not_found(
    districts: Any, indicators: Any, manager_actor: Any, org_b: Any, member: Any, client_for: Any
) -> None:
    record = indicator_import(
        actor=manager_actor, file_name="x.csv", content=b"region,year,indicator,value\n", format="long"
    )
    client = client_for(member(org_b, Role.ANALYST))
    assert client.get(f"/risk/imports/{record.pk}/").status_code == 404


def test_configuring_an_index_runs_it_and_shows_the_map(
    small_world: Any, country: Any, manager: Any, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(manager)
    form = {
        "name": "Testland",
        "level": "district",
        "within": country.pk,
        "indicators": [i.pk for i in small_world["indicators"].values()],
        "weights": "equal",
        "window_years": 5,
        "min_coverage": 0.5,
        "perturbations": 20,
        "seed": 0,
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/risk/configurations/new/", form)
    run = IndexRun.objects.get()
    assert response["Location"] == f"/risk/runs/{run.pk}/"
    assert run.status == RunStatus.SUCCEEDED
    assert run.organisation == manager.memberships.get().organisation


def test_configuration_form_errors_keep_what_was_typed(
    small_world: Any, manager: Any, client_for: Any
) -> None:
    client = client_for(manager)
    response = client.post(
        "/risk/configurations/new/",
        {
            "name": "Keep me",
            "level": "district",
            "weights": "custom",
            "custom_weights": "economic=two",
            "window_years": 5,
            "min_coverage": 0.5,
            "perturbations": 10,
            "seed": 0,
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="Keep me"' in page
    assert "“economic=two” is not factor=weight." in page
    assert "This field is required." in page  # indicators
    assert IndexConfiguration.objects.count() == 0


def test_map_has_a_path_per_region_with_a_shape_and_the_right_fill(
    completed_run: IndexRun, manager: Any, client_for: Any
) -> None:
    page = client_for(manager).get(f"/risk/runs/{completed_run.pk}/").content.decode()
    paths = re.findall(r'<path class="([^"]+)" data-region="([^"]+)"', page)
    # Scores 100, 41.67 and 0 fall in the classes 80–100, 40–60 and 0–20; XT-D has no shape.
    assert paths == [
        ("map-area map-class-4", "XT-C"),
        ("map-area map-class-2", "XT-B"),
        ("map-area map-class-0", "XT-A"),
    ]
    assert "1 region has no shape and appears only in the table." in page
    assert f'href="/risk/runs/{completed_run.pk}/regions/XT-D/"' in page  # in the table fallback
    assert 'aria-labelledby="risk-map-title risk-map-desc"' in page


def test_run_status_polls_until_finished(
    configuration: IndexConfiguration, manager_actor: Any, manager: Any, client_for: Any
) -> None:
    run = run_request(actor=manager_actor, configuration=configuration)  # on_commit never fires here
    client = client_for(manager)
    queued = client.get(f"/risk/runs/{run.pk}/status/", HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 2s"' in queued.content.decode()
    assert '<progress value="0" max="100"' in queued.content.decode()
    assert "HX-Refresh" not in queued

    run_execute(run_id=run.pk)
    done = client.get(f"/risk/runs/{run.pk}/status/", HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"
    assert "hx-trigger" not in done.content.decode()


def test_region_profile_shows_factor_bars_and_trends(
    completed_run: IndexRun, manager: Any, client_for: Any
) -> None:
    page = client_for(manager).get(f"/risk/runs/{completed_run.pk}/regions/XT-A/").content.decode()
    assert page.count('<svg class="risk-bars"') == 1
    assert page.count('<svg class="risk-trend"') == 2
    # Poverty in Alder: 99 in 2020 and 10 in 2022; the 2022 value is the one used.
    assert '<circle class="risk-trend-point risk-trend-used"' in page
    assert "<title>2020: 99.0</title>" in page
    assert "rank; between 3 and 3 when weights and indicators vary" in page


def test_unscored_region_profile_explains_why(completed_run: IndexRun, manager: Any, client_for: Any) -> None:
    page = client_for(manager).get(f"/risk/runs/{completed_run.pk}/regions/XT-D/").content.decode()
    assert "No score: data for only 0.00 of the indicators, below the minimum coverage of 0.50." in page


def test_shapes_import_page(districts: Any, country: Any, manager: Any, client_for: Any) -> None:
    geojson = (
        b'{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"XT-D"},'
        b'"geometry":{"type":"Polygon","coordinates":[[[1,1],[2,1],[2,2],[1,1]]]}}]}'
    )
    response = client_for(manager).post(
        "/risk/imports/shapes/",
        {
            "file": SimpleUploadedFile("d.geojson", geojson),
            "code_property": "code",
            "name_property": "name",
            "level": "district",
        },
        follow=True,
    )
    assert "Imported 1 shape." in response.content.decode()
