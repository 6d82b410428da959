"""The record of a file import that was refused: what indicator and shape imports share."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from safeguard.accounts.access import Actor
from safeguard.core.audit import audit_record
from safeguard.risk import tables
from safeguard.risk.models import ImportStatus, IndicatorImport


def problem_rows(problems: Iterable[tables.TableProblem]) -> list[dict[str, Any]]:
    return [{"line": p.line, "column": p.column, "message": p.message} for p in problems]


def import_reject(
    *, actor: Actor, file_name: str, format: str, problems: list[dict[str, Any]], left_out: Sequence[Any] = ()
) -> IndicatorImport:
    """Record a refused file with every problem found; no value or shape is stored.

    Called by the import services once they have checked ``risk.manage``.
    """
    assert actor.organisation is not None  # the calling service required risk.manage there
    record = IndicatorImport.objects.create(
        organisation=actor.organisation,
        created_by=actor.user,
        file_name=file_name,
        format=format,
        status=ImportStatus.REJECTED,
        problems=problems,
        left_out=list(left_out),
    )
    audit_record(
        action="risk.import_rejected",
        actor=actor,
        target=record,
        detail={"format": format, "problems": len(problems)},
    )
    return record
