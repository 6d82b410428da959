"""Re-exports only what code outside ``safeguard.cases`` imports (the benchmark), so it keeps working."""

# Writes to cases live in one module per concern (registration, person, perpetrators, assessment,
# plans, consents, referrals, followups, closure, transfers, merge, tasks, teams). Every service is
# keyword-only, checks the actor's permission and reach itself (``access.require_case_in_reach``),
# validates with ``full_clean()``, runs in one transaction, and appends a typed ``CaseEvent`` plus
# an audit event for the state change it makes.

from safeguard.cases.services.registration import PersonDetails, person_name_keys
from safeguard.cases.services.registration import person_from_details as _person_from

__all__ = ["PersonDetails", "_person_from", "person_name_keys"]
