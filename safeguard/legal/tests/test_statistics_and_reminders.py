"""Legal-aid statistics (de-identified, small counts withheld) and the hearing reminders."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from safeguard.core.models import AuditEvent
from safeguard.legal.models import Hearing
from safeguard.legal.selectors import legal_aid_statistics
from safeguard.legal.services import matters
from safeguard.legal.services.matters import hearings_remind
from safeguard.legal.tests.conftest import refer_to_legal_aid
from safeguard.testing.fixtures import actor_of, make_member

pytestmark = pytest.mark.django_db


def open_matter(actor, case, gb, **fields):
    details = {"kind": "compensation", "stage": "", "jurisdiction": gb, **fields}
    return matters.matter_open(actor=actor, case=case, details=matters.MatterDetails(**details))


def test_statistics_count_by_jurisdiction_and_withhold_small_groups(
    case_a, cara, org_a, gb, settings
) -> None:
    settings.LEGAL_STATISTICS_MIN_COUNT = 3
    actor = actor_of(cara, org_a)
    for days in (100, 200, 300):
        matter = open_matter(actor, case_a, gb, complaint_on=date(2025, 1, 1))
        matters.matter_update(
            actor=actor, matter=matter, stage="decided", outcome="granted", court="", reference_number="", lawyer="",
            complaint_on=date(2025, 1, 1), verdict_on=date(2025, 1, 1) + timedelta(days=days), notes="",
        )  # fmt: skip
        matters.matter_record_compensation(
            actor=actor,
            matter=matter,
            currency="EUR",
            claimed=Decimal(1000),
            awarded=Decimal(500),
            paid=Decimal(100),
        )
    one = open_matter(actor, case_a, gb)
    matters.matter_record_compensation(
        actor=actor, matter=one, currency="GBP", claimed=Decimal(7), awarded=None, paid=None
    )
    manager = make_member(org_a, "programme_manager", email="pm@alpha.example")
    (row,) = legal_aid_statistics(actor_of(manager, org_a))
    assert (row.jurisdiction, row.matters, row.median_days_to_verdict) == ("GB", 4, 200.0)
    assert row.by_stage == {"decided": 3, "filed": None}  # one filed matter: withheld
    assert row.compensation["EUR"] == {
        "matters": 3,
        "claimed": Decimal(3000),
        "awarded": Decimal(1500),
        "paid": Decimal(300),
    }
    assert row.compensation["GBP"] == {"matters": None, "claimed": None, "awarded": None, "paid": None}


def test_statistics_are_for_programme_managers_and_supervisors(cara, org_a) -> None:
    with pytest.raises(PermissionDenied):
        legal_aid_statistics(actor_of(cara, org_a))


def test_a_hearing_is_reminded_once_to_the_owner_and_the_representing_provider(
    case_a, cara, org_a, gb, legal_aid_service, lena, django_capture_on_commit_callbacks
) -> None:
    referral = refer_to_legal_aid(case_a, cara, org_a, legal_aid_service, lena)
    matter = open_matter(actor_of(cara, org_a), case_a, gb, kind="criminal", referral=referral)
    soon = matters.hearing_schedule(
        actor=actor_of(cara, org_a), matter=matter, scheduled_at=timezone.now() + timedelta(hours=20),
        purpose="Trial", place="", child_participates=True,
    )  # fmt: skip
    matters.hearing_schedule(
        actor=actor_of(cara, org_a), matter=matter, scheduled_at=timezone.now() + timedelta(days=9),
        purpose="Later", place="", child_participates=False,
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        assert hearings_remind() == 1
        assert hearings_remind() == 0
    (message,) = mail.outbox
    assert sorted(message.to) == sorted([cara.email, lena.email])
    assert "Trial" in message.body and "preparation" in message.body and "Testa" not in message.body
    assert Hearing.objects.get(pk=soon.pk).reminder_sent_at is not None
    assert AuditEvent.objects.filter(action="legal.hearing.reminded").count() == 1


def test_the_request_page_shows_the_instruments_both_countries_are_party_to(gb, instrument) -> None:
    from django.template import Context, Template

    from safeguard.accounts.models import Organisation
    from safeguard.legal.models import InstrumentStatus, Jurisdiction, PartyStatus

    fr = Jurisdiction.objects.create(code="FR", name="Testfrance (illustrative)", is_illustrative=True)
    InstrumentStatus.objects.create(
        jurisdiction=fr, instrument=instrument, status=PartyStatus.RATIFIED, ratified_on=date(2002, 1, 1)
    )
    first = Organisation(name="A", slug="a", kind="law_enforcement", country="GB")
    second = Organisation(name="B", slug="b", kind="law_enforcement", country="FR")
    html = Template("{% load legal %}{% legal_common_instruments first second %}").render(
        Context({"first": first, "second": second})
    )
    assert "Palermo Protocol" in html
    unknown = Organisation(name="C", slug="c", kind="law_enforcement", country="")
    html = Template("{% load legal %}{% legal_common_instruments first second %}").render(
        Context({"first": first, "second": unknown})
    )
    assert "A country is not known for both organisations." in html
