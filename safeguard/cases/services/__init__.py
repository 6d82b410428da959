"""Writes to cases, one module per concern; re-exports only what code outside ``safeguard.cases`` imports (the benchmark), so it keeps working.

Every service is keyword-only, checks the actor's permission for the action itself, validates
with ``full_clean()``, runs in one transaction, and appends a typed ``CaseEvent`` plus an audit
event for the state change it makes. Views fetch objects through ``cases.access`` first.
"""

from safeguard.cases.services.registration import PersonDetails, person_name_keys
from safeguard.cases.services.registration import person_from_details as _person_from

__all__ = ["PersonDetails", "_person_from", "person_name_keys"]
