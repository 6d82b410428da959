"""CSV and XLSX exports of an index run: one row per region, as in the ranked table."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from safeguard.risk.models import IndexRun, RegionResult, factor_label

BASE_COLUMNS = ["region", "name", "score", "rank", "rank_low", "rank_high", "coverage"]


def _number(value: float | None, digits: int) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def result_rows(run: IndexRun, results: Sequence[RegionResult]) -> tuple[list[str], list[list[Any]]]:
    """Header and rows with plain Python values (None where there is no score)."""
    factors = run.factors
    header = BASE_COLUMNS + factors
    rows = [
        [
            result.region.code,
            result.region.name,
            result.score,
            result.rank,
            result.rank_low,
            result.rank_high,
            result.coverage,
            *(result.factor_scores.get(factor) for factor in factors),
        ]
        for result in results
    ]
    return header, rows


def run_csv(run: IndexRun, results: Sequence[RegionResult]) -> str:
    """The run as CSV: scores and factor scores with 2 decimals, coverage with 3."""
    header, rows = result_rows(run, results)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        code, name, score, rank, low, high, coverage, *factor_scores = row
        writer.writerow(
            [
                code,
                name,
                _number(score, 2),
                "" if rank is None else rank,
                "" if low is None else low,
                "" if high is None else high,
                _number(coverage, 3),
                *(_number(value, 2) for value in factor_scores),
            ]
        )
    return buffer.getvalue()


def run_xlsx(run: IndexRun, results: Sequence[RegionResult], *, labels: dict[str, str]) -> bytes:
    """The run as an Excel workbook: a results sheet and a sheet describing the configuration."""
    header, rows = result_rows(run, results)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Results"
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    for column in range(1, len(header) + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 14 if column != 2 else 28
    sheet.freeze_panes = "A2"

    about = workbook.create_sheet("Configuration")
    about.append([labels["configuration"], run.configuration.name])
    about.append([labels["reference_year"], run.reference_year])
    about.append([labels["fingerprint"], run.input_fingerprint])
    about.append([labels["sensitivity_runs"], run.sensitivity_runs])
    about.append([])
    about.append([labels["factor"], labels["weight"]])
    for factor, weight in run.weights.items():
        about.append([factor_label(factor), weight])
    about.append([])
    about.append([labels["indicator"], labels["factor"], labels["direction"], "log"])
    for indicator in run.config_snapshot.get("indicators", []):
        about.append([indicator["id"], indicator["factor"], indicator["direction"], indicator["log"]])
    about.column_dimensions["A"].width = 30
    about.column_dimensions["B"].width = 70
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
