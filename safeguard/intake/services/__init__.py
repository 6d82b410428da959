"""Re-exports what other apps, tests and benchmarks call, so their imports keep working.

New code imports from the concern module (``services.submission``, ``services.triage``, …).

Every change to reports, routes, escalations and channels goes through ``services/<concern>.py``.
Each service is keyword-only, runs in one transaction, validates before it saves and writes an
audit event for what it changed (ids and field names only, never the personal data itself).
A service that acts for a user takes ``actor`` (``safeguard.accounts.access.Actor``) and checks
the permission itself (``actor.require`` and the report's organisation) before any write;
anonymous reporters, partner channels and the system call services that take no actor and say so.
"""

from safeguard.intake.services.assessment import report_raise_urgency
from safeguard.intake.services.submission import (
    ReportInput,
    Submission,
    forget_receivers,
    receiving_organisation,
    report_submit,
)

__all__ = [
    "ReportInput",
    "Submission",
    "forget_receivers",
    "receiving_organisation",
    "report_raise_urgency",
    "report_submit",
]
