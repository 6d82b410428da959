"""Helpers for the federation tests: identifiers an installation holds, for one organisation."""

from __future__ import annotations

from typing import Any

from safeguard.analytics.models import Entity, Mention
from safeguard.analytics.services.entities import entity_index
from safeguard.collaboration.models import CollaborationSettings


def hold_phones(organisation: Any, phones: list[str], *, first_record: int = 1) -> None:
    """Mentions of E.164 ``phones`` by reports of ``organisation``, which takes part in notices."""
    CollaborationSettings.objects.update_or_create(
        organisation=organisation, defaults={"match_notices": True}
    )
    for offset, phone in enumerate(phones):
        entity, _created = Entity.objects.get_or_create(
            kind="phone", key_index=entity_index("phone", phone), defaults={"value": phone}
        )
        Mention.objects.create(
            entity=entity, record_type="report", record_id=first_record + offset, organisation=organisation
        )


def hold_report(organisation: Any, phone: str, *, reference: str) -> int:
    """A real (synthetic) report of ``organisation`` naming ``phone``, as intake and analytics store it."""
    from datetime import timedelta

    from django.utils import timezone

    from safeguard.intake.models import Report

    report = Report.objects.create(
        reference=reference, organisation=organisation, channel="web", narrative="Fictional narrative.",
        country="GB", subdivision="GB-LND", place="Fictional station", children_count=1, youngest_age=14,
        indicators=["restriction_of_movement"], receipt_lookup=reference[-8:], receipt_hash="x",
        due_at=timezone.now() + timedelta(hours=4),
    )  # fmt: skip
    hold_phones(organisation, [phone], first_record=report.pk)
    return int(report.pk)
