"""Fixtures for the Django side of analytics: reports through intake's real service, analysts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from safeguard.accounts.models import Organisation


@pytest.fixture
def submit(org_a: Organisation) -> Callable[..., Any]:
    """``submit(identifiers=[("phone", "612 345 678")], organisation=org_b, …)`` → a stored report.

    Goes through intake's ``report_submit``; the on-commit alert runs only when the test wraps
    the call in ``django_capture_on_commit_callbacks(execute=True)``.
    """
    from safeguard.intake import services
    from safeguard.intake.choices import Channel

    def make(organisation: Organisation | None = None, **fields: Any) -> Any:
        fields.setdefault("narrative", "Fictional test narrative about a worrying situation.")
        fields.setdefault("country", "ES")
        created_at = fields.pop("created_at", None)
        return services.report_submit(
            data=services.ReportInput(**fields),
            channel=Channel.PHONE,
            organisation=organisation or org_a,
            created_at=created_at,
        ).report

    return make
