"""The webhook event types and the audit actions each one is made of.

Every state change in Safeguard already writes an audit event (``core.audit.audit_record``) in
its own transaction; a webhook event is such an audit event whose action is listed here. The
payload names the event type, the record's kind and id and a few codes (a status, an outcome),
never personal data and never the audit detail as such.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventType(models.TextChoices):
    REPORT_RECEIVED = "report.received", _("Report received")
    REPORT_TRIAGED = "report.triaged", _("Report triaged (assigned, status changed, merged)")
    REPORT_ROUTED = "report.routed", _("Report routed to an organisation")
    REPORT_ESCALATED = "report.escalated", _("Report escalated to law enforcement")
    ESCALATION_OUTCOME = "escalation.outcome", _("Escalation outcome returned")
    CASE_OPENED = "case.opened", _("Case opened")
    CASE_UPDATED = "case.updated", _("Case updated (assessment, plan, consent, follow-up, note…)")
    CASE_CLOSED = "case.closed", _("Case closed or reopened")
    REFERRAL_UPDATED = "referral.updated", _("Referral sent, answered or completed")
    TRANSFER_UPDATED = "transfer.updated", _("Transfer requested, accepted or declined")
    MATCH_NOTICE = "match_notice.created", _("Match notice with another organisation")
    RELEASE_PUBLISHED = "release.published", _("Safe release published")


# The test event an admin sends from the endpoint's page; never produced by the platform.
TEST_EVENT = "webhook.test"

_CASE_UPDATES = [
    "updated",
    "assessed",
    "plan_submitted",
    "plan_approved",
    "plan_rejected",
    "consent_recorded",
    "consent_withdrawn",
    "follow_up_scheduled",
    "follow_up_done",
    "milestone",
    "closure_requested",
    "closure_rejected",
    "merged",
    "perpetrator_added",
    "note_added",
    "note_edited",
    "document_added",
    "flag_raised",
    "flag_resolved",
]

ACTIONS: dict[str, EventType] = {
    "report.received": EventType.REPORT_RECEIVED,
    "report.assigned": EventType.REPORT_TRIAGED,
    "report.status_changed": EventType.REPORT_TRIAGED,
    "report.merged": EventType.REPORT_TRIAGED,
    "report.routed": EventType.REPORT_ROUTED,
    "report.escalated": EventType.REPORT_ESCALATED,
    "escalation.outcome": EventType.ESCALATION_OUTCOME,
    "case.registered": EventType.CASE_OPENED,
    "case.closed": EventType.CASE_CLOSED,
    "case.reopened": EventType.CASE_CLOSED,
    **{f"case.{kind}": EventType.CASE_UPDATED for kind in _CASE_UPDATES},
    **{
        f"case.{kind}": EventType.REFERRAL_UPDATED
        for kind in [
            "referral_sent",
            "referral_override",
            "referral_accepted",
            "referral_declined",
            "service_delivered",
            "referral_completed",
        ]
    },
    **{
        f"case.{kind}": EventType.TRANSFER_UPDATED
        for kind in ("transfer_requested", "transferred", "transfer_declined")
    },
    "collaboration.match_notice": EventType.MATCH_NOTICE,
    "sharing.release_published": EventType.RELEASE_PUBLISHED,
}

# A hand-over makes the record visible to the receiving organisation: it is told too.
HANDED_TO = {"report.routed": "to_organisation", "report.escalated": "to_organisation"}

# The record kinds a payload names (the API path a consumer fetches it from).
OBJECTS = {
    "intake.report": "report",
    "intake.escalation": "escalation",
    "cases.case": "case",
    "collaboration.matchnotice": "match_notice",
    "sharing.release": "release",
}

# Detail keys copied into the payload: codes only, never free text or people.
CODES = {"to": "status", "outcome": "outcome", "urgency": "urgency", "channel": "channel"}
