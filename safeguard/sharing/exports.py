"""A release as CSV, or as XLSX with its data dictionary and method."""

from __future__ import annotations

import csv
import io
import json

from django.utils.translation import gettext as _

from safeguard.sharing import selectors
from safeguard.sharing.models import Release


def release_csv(release: Release) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(release.columns)
    writer.writerows(release.rows)
    return buffer.getvalue().encode("utf-8")


def data_dictionary(release: Release) -> list[tuple[str, str, str]]:
    """(column, what it holds, how it was released) for every released column."""
    described = {**selectors.SOURCE_COLUMNS, **selectors.COUNT_COLUMNS}
    levels = release.report.get("generalisations", {})
    extra = {
        "count": _("Number of records, with differential privacy (noisy)"),
        # "95%" is text, not a placeholder: these two are never %-formatted.
        # xgettext:no-python-format
        "low": _("Lower end of the 95% interval of the count"),
        # xgettext:no-python-format
        "high": _("Upper end of the 95% interval of the count"),
    }
    return [
        (column, str(extra.get(column) or described.get(column, "")), str(levels.get(column, "")))
        for column in release.columns
    ]


def release_xlsx(release: Release) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Release"))
    sheet.append(release.columns)
    for row in release.rows:
        sheet.append(row)
    dictionary = workbook.create_sheet(_("Data dictionary"))
    dictionary.append([_("Column"), _("Description"), _("Generalisation")])
    for entry in data_dictionary(release):
        dictionary.append(list(entry))
    method = workbook.create_sheet(_("Method"))
    for key, value in release.report.items():
        method.append(
            [key, value if isinstance(value, int | float | str) else json.dumps(value, ensure_ascii=False)]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
