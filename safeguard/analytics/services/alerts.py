"""Alert on intake: a new report that shares an identifier with a known network is raised.

Analytics never writes a report: the urgency is raised through intake's own service.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from safeguard.analytics import records
from safeguard.analytics.masking import mask_value
from safeguard.analytics.models import EntityKind, Mention, RecordType
from safeguard.analytics.services.entities import Extracted, record_extract
from safeguard.analytics.services.networks import Touch, network_attach
from safeguard.intake.models import Report, UrgencyRaise
from safeguard.intake.services import report_raise_urgency

ALERT_LEVEL = "high"
# The order shared identifiers are named in: the most telling first.
KIND_ORDER: list[str] = [
    EntityKind.PHONE,
    EntityKind.EMAIL,
    EntityKind.HANDLE,
    EntityKind.URL,
    EntityKind.PLATE,
    EntityKind.DOMAIN,
    EntityKind.NAME,
    EntityKind.PLACE,
]


@dataclass(frozen=True)
class Alert:
    network_id: int
    reports: int
    cases: int
    ads: int
    shared: tuple[dict[str, str], ...]  # {"kind", "masked"}
    reason: str


def _alert_for(report: Report, extracted: Extracted, touch: Touch) -> Alert | None:
    """What the receiving organisation may learn: only its own records count.

    A network reaching into another organisation's records raises nothing and counts nothing
    from them, so an operator learns nothing about records they cannot see.
    """
    organisation_id = report.organisation_id
    if organisation_id is None:
        return None
    own_shared = set(
        Mention.objects.filter(entity__in=touch.shared, organisation_id=organisation_id)
        .exclude(record_type=RecordType.REPORT, record_id=report.pk)
        .values_list("entity_id", flat=True)
    )
    if not own_shared:
        return None
    counts = Counter(
        touch.network.memberships.filter(organisation_id=organisation_id)
        .exclude(record_type=RecordType.REPORT, record_id=report.pk)
        .values_list("record_type", flat=True)
    )
    key_of = {row.pk: key for key, row in extracted.entities.items()}
    shared = tuple(
        {"kind": key_of[row.pk][0], "masked": mask_value(key_of[row.pk][0], key_of[row.pk][1])}
        for row in sorted(touch.shared, key=lambda r: (KIND_ORDER.index(r.kind), r.pk))
        if row.pk in own_shared
    )
    parts = [
        ngettext("%(n)d report", "%(n)d reports", counts[RecordType.REPORT])
        % {"n": counts[RecordType.REPORT]}
    ]
    if counts[RecordType.CASE]:
        parts.append(
            ngettext("%(n)d case", "%(n)d cases", counts[RecordType.CASE]) % {"n": counts[RecordType.CASE]}
        )
    if counts[RecordType.AD]:
        parts.append(ngettext("%(n)d ad", "%(n)d ads", counts[RecordType.AD]) % {"n": counts[RecordType.AD]})
    through = ", ".join(f"{EntityKind(item['kind']).label.lower()} {item['masked']}" for item in shared)
    reason = _("Linked to network %(network)d (%(records)s) through %(through)s") % {
        "network": touch.network.pk,
        "records": ", ".join(parts),
        "through": through,
    }
    return Alert(
        network_id=touch.network.pk,
        reports=counts[RecordType.REPORT],
        cases=counts[RecordType.CASE],
        ads=counts[RecordType.AD],
        shared=shared,
        reason=reason,
    )


def report_check_networks(*, report_id: int) -> Alert | None:
    """Analyse a new report and, when it shares an identifier with a network its organisation
    knows, raise its urgency through intake with the reason and the shared identifiers (kinds
    and masked values only). Idempotent: a network is named at most once per report.

    A system service: the task run after intake received the report calls it, with no actor.
    """
    report = records.load_report(report_id)
    if report is None:
        return None
    snapshot = records.report_snapshot(report)
    with transaction.atomic():
        extracted = record_extract(snapshot=snapshot)
        touch = network_attach(extracted=extracted)
        if touch is None:
            return None
        alert = _alert_for(report, extracted, touch)
        if alert is None:
            return None
        if any(
            (raised.detail or {}).get("network") == alert.network_id
            for raised in UrgencyRaise.objects.filter(report_id=report_id)
        ):
            return alert
        report_raise_urgency(
            report=report,
            level=ALERT_LEVEL,
            reason=alert.reason,
            detail={
                "source": "analytics",
                "network": alert.network_id,
                "reports": alert.reports,
                "cases": alert.cases,
                "ads": alert.ads,
                "shared": list(alert.shared),
            },
        )
    return alert
