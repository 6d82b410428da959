"""CSV and XLSX exports of a run, with exact content."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import load_workbook

from safeguard.risk.models import IndexRun
from safeguard.risk.tests.conftest import EXPECTED_CSV


def test_csv_export_has_exact_content(completed_run: IndexRun, manager: Any, client_for: Any) -> None:
    response = client_for(manager).get(f"/risk/runs/{completed_run.pk}/export.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="vulnerability-index-run-{completed_run.pk}.csv"'
    )
    assert response.content.decode() == EXPECTED_CSV


def test_xlsx_export_has_results_and_configuration(
    completed_run: IndexRun, manager: Any, client_for: Any
) -> None:
    response = client_for(manager).get(f"/risk/runs/{completed_run.pk}/export.xlsx")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Results", "Configuration"]
    rows = [list(row) for row in workbook["Results"].iter_rows(values_only=True)]
    assert rows[0] == [
        "region",
        "name",
        "score",
        "rank",
        "rank_low",
        "rank_high",
        "coverage",
        "economic",
        "education",
    ]
    assert rows[1] == ["XT-C", "Cedar", 100.0, 1, 1, 1, 1.0, 100.0, 100.0]
    assert rows[2][:4] == ["XT-B", "Birch", rows[2][2], 2]
    assert round(rows[2][2], 4) == 41.6667
    assert rows[4] == ["XT-D", "Dogwood", None, None, None, None, 0.0, None, None]
    about = {row[0]: row[1] for row in workbook["Configuration"].iter_rows(values_only=True) if row[0]}
    assert about["Input fingerprint (SHA-256)"] == completed_run.input_fingerprint
    assert about["Reference year"] == 2022
