"""The run's map as a printable PNG or PDF: who may download it, and that the file is the map."""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image

from safeguard.accounts.roles import Role
from safeguard.risk.models import IndexRun

# XT-C scores 100 (class 80–100), XT-B 41.67 (40–60), XT-A 0 (0–20): the fills of app.css.
SCORE_COLOURS = [(0x44, 0x01, 0x54), (0x21, 0x91, 0x8C), (0xFD, 0xE7, 0x25)]


def test_the_map_page_offers_both_downloads(completed_run: IndexRun, manager: Any, client_for: Any) -> None:
    page = client_for(manager).get(f"/risk/runs/{completed_run.pk}/").content.decode()
    assert f'href="/risk/runs/{completed_run.pk}/map.png" download>Download the map (PNG)' in page
    assert f'href="/risk/runs/{completed_run.pk}/map.pdf" download>Download the map (PDF)' in page


def test_png_download_is_the_map_with_every_score_class(
    completed_run: IndexRun, manager: Any, client_for: Any
) -> None:
    response = client_for(manager).get(f"/risk/runs/{completed_run.pk}/map.png")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="vulnerability-map-run-{completed_run.pk}.png"'
    )
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "PNG"
    colours = {colour for _count, colour in image.convert("RGB").getcolors(maxcolors=1 << 20) or []}
    assert all(colour in colours for colour in SCORE_COLOURS)


def test_pdf_download_is_a_pdf(completed_run: IndexRun, manager: Any, client_for: Any) -> None:
    response = client_for(manager).get(f"/risk/runs/{completed_run.pk}/map.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-") and response.content.rstrip().endswith(b"%%EOF")


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.CASEWORKER, Role.LIAISON, Role.ORG_ADMIN])
def test_roles_without_risk_view_are_refused(
    role: str, completed_run: IndexRun, org_a: Any, member: Any, client_for: Any
) -> None:
    client = client_for(member(org_a, role))
    assert client.get(f"/risk/runs/{completed_run.pk}/map.png").status_code == 403


def test_another_organisations_run_map_is_not_found(
    completed_run: IndexRun, org_b: Any, member: Any, client_for: Any
) -> None:
    client = client_for(member(org_b, Role.PROGRAMME_MANAGER))
    for fmt in ("png", "pdf"):
        assert client.get(f"/risk/runs/{completed_run.pk}/map.{fmt}").status_code == 404
