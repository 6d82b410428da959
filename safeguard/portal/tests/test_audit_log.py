"""The organisation audit log: filters, and bad filter input explained instead of a crash."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from safeguard.accounts.models import Organisation, User
from safeguard.core.audit import audit_record

pytestmark = pytest.mark.django_db


def test_an_impossible_date_is_explained_and_the_other_filters_still_apply(
    alice: User, bob: User, org_a: Organisation, client_for: Callable[[User], Client]
) -> None:
    audit_record(action="case.viewed", actor=bob, organisation=org_a)
    audit_record(action="report.received", actor=None, organisation=org_a)

    response = client_for(alice).get("/audit/?since=2026-02-30&action=case.")

    page = response.content.decode()
    assert response.status_code == 400
    assert "From: Enter a valid date." in page
    assert 'value="2026-02-30"' in page
    assert "<code>case.viewed</code>" in page
    assert "<code>report.received</code>" not in page


def test_another_organisations_events_never_show(
    alice: User, charlie: User, org_a: Organisation, org_b: Organisation, client_for: Callable[[User], Client]
) -> None:
    audit_record(action="case.viewed", actor=charlie, organisation=org_b)

    page = client_for(alice).get("/audit/?action=case.").content.decode()

    assert "charlie@beta.example" not in page
    assert "No events match." in page
