"""Recomputing the stored keys of reported identifiers after the normal form changed.

A system service (no actor): run by ``manage.py rekey_identifiers`` once after an upgrade that
changes ``safeguard.core.identifiers`` (decision 062). One audit event per run.
"""

from __future__ import annotations

from django.db import transaction

from safeguard.core.audit import audit_record
from safeguard.core.fields import blind_index_for
from safeguard.intake.identifiers import parse_identifier
from safeguard.intake.models import Report, ReportIdentifier


def report_identifiers_rekey() -> dict[str, int]:
    """Re-derive every report identifier's key, blind index and verified flag, and the contact
    phone's, from what was typed. Guarantees: afterwards each row equals what a new submission
    of the same value would store. Returns the counts of rows looked at and changed."""
    seen = changed = 0
    with transaction.atomic():
        rows = ReportIdentifier.objects.select_related("report").only(
            "kind", "value", "normalised", "value_index", "is_valid", "report__country"
        )
        for row in rows.iterator(chunk_size=500):
            seen += 1
            parsed = parse_identifier(row.kind, row.value or "", region=row.report.country)
            index = blind_index_for(parsed.normalised, purpose=row.kind)
            if (row.normalised, row.value_index, row.is_valid) != (parsed.normalised, index, parsed.is_valid):
                row.normalised, row.value_index, row.is_valid = parsed.normalised, index, parsed.is_valid
                row.save(update_fields=["normalised", "value_index", "is_valid"])
                changed += 1
        for report in Report.objects.only("contact", "country").iterator(chunk_size=500):
            contact = report.contact if isinstance(report.contact, dict) else {}
            if not contact.get("phone"):
                continue
            parsed = parse_identifier("phone", str(contact["phone"]), region=report.country)
            wanted = {
                "phone_e164": parsed.normalised if parsed.is_valid else "",
                "phone_parsed": parsed.is_valid,
            }
            if any(contact.get(key) != value for key, value in wanted.items()):
                report.contact = {**contact, **wanted}
                report.save(update_fields=["contact"])
                changed += 1
        audit_record(
            action="intake.identifiers_rekeyed",
            object_type="intake.ReportIdentifier",
            detail={"seen": seen, "changed": changed},
        )
    return {"seen": seen, "changed": changed}
