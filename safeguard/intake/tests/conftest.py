"""Intake test helpers: reports made through the real service, a liaison, partner channels."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from safeguard.accounts.models import Organisation, User
from safeguard.accounts.roles import OrganisationKind, Role
from safeguard.intake.choices import Channel
from safeguard.intake.models import Report
from safeguard.intake.services.submission import ReportInput, report_submit
from safeguard.testing.fixtures import OrganisationFactory, make_member

PUBLIC_REPORT = {
    "narrative": "A boy of about ten sells flowers at night near the fictional Station Square; a man takes the money.",
    "country": "ES",
    "subdivision": "ES-MD",
    "children": [{"age": 10, "gender": "Masculine", "description": "red jacket"}],
    "identifiers": [{"kind": "phone", "value": "+34 612 345 678"}, {"kind": "handle", "value": "@Vex_Doe"}],
    "indicators": ["withholding_of_wages", "out_of_school"],
    "exploitation_types": ["ForcedBegging"],
    "child_in_danger": False,
}


@pytest.fixture
def make_report(org_a: Organisation) -> Callable[..., Report]:
    """``make_report(**fields)`` → a report received by org A through the real service."""

    def make(
        organisation: Organisation | None = None,
        channel: str = Channel.WEB,
        created_at: Any = None,
        **fields: Any,
    ) -> Report:
        fields.setdefault("narrative", "Fictional test narrative about a worrying situation.")
        submission = report_submit(
            data=ReportInput(**fields),
            channel=channel,
            organisation=organisation or org_a,
            created_at=created_at,
        )
        report = submission.report
        report.receipt = submission.receipt  # type: ignore[attr-defined]
        return report

    return make


@pytest.fixture
def police(db: None) -> Organisation:
    return OrganisationFactory.create(
        name="Gamma Police Unit", slug="gamma-police", kind=OrganisationKind.LAW_ENFORCEMENT
    )


@pytest.fixture
def liaison(police: Organisation) -> User:
    return make_member(police, Role.LIAISON, email="lee@gamma.example", name="Lee Liaison")
