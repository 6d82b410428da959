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


def tampered_status(url: str, action: str, payload: dict[str, Any]) -> int:
    """The HTTP status a protocol request gets when its signature (by this installation) was tampered with."""
    import json
    import urllib.error
    import urllib.request

    from safeguard.sharing import federation, signing

    me = federation.identity()
    assert me is not None
    path = f"{federation.PROTOCOL}{action}"
    body = json.dumps(payload).encode()
    timestamp, signature = signing.sign(me.private_key, "POST", path, body)
    tampered = signature[:-4] + ("AAAA" if not signature.endswith("AAAA") else "BBBB")
    request = urllib.request.Request(  # noqa: S310 - loopback
        url + path, data=body, method="POST",
        headers={"Content-Type": "application/json", signing.HEADER_INSTALLATION: me.url,
                 signing.HEADER_TIME: timestamp, signing.HEADER_SIGNATURE: tampered},
    )  # fmt: skip
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def register_person(actor: Any, first: str, second: str, born: Any, *, consent: bool = True) -> Any:
    """A case of ``actor``'s organisation for a (synthetic) person, with consent to share with another installation."""
    from datetime import date

    from safeguard.cases.models import ConsentGiver, ConsentScope
    from safeguard.cases.services.consents import consent_record
    from safeguard.cases.services.registration import PersonDetails, case_register

    case = case_register(
        actor=actor, person=PersonDetails(first_name=first, second_name=second, birth_date=born)
    )
    if consent:
        consent_record(
            actor=actor, case=case, given_by=ConsentGiver.GUARDIAN, scope=ConsentScope.SHARE_INSTALLATION,
            given_on=date(2024, 5, 2),
        )  # fmt: skip
    return case
