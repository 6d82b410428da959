"""Audit events as sentences: who did what to which record, in the reader's language."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.apps import apps

from safeguard.core.audit_sentences import SYSTEM, audit_sentence
from safeguard.core.models import AuditEvent

# The records named by a label that staff pages already show, and the columns it is read from:
# public references and names only, never anything encrypted or about the child. ``report`` is
# how ``risk`` spells a report's object type.
_LABELLED: dict[str, tuple[str, tuple[str, ...]]] = {
    "intake.report": ("intake.Report", ("reference",)),
    "report": ("intake.Report", ("reference",)),
    "cases.case": ("cases.Case", ("reference",)),
    "accounts.user": ("accounts.User", ("name", "email")),
    "accounts.organisation": ("accounts.Organisation", ("name",)),
}


@dataclass(frozen=True)
class AuditLine:
    event: AuditEvent
    sentence: str
    object_label: str


def audit_lines(events: Iterable[AuditEvent]) -> list[AuditLine]:
    """One line per event; the records' labels are read in one query per kind of record, not per row.

    Load ``events`` with ``select_related("actor")`` so that naming the actors costs no query either.
    """
    events = list(events)
    labels = _object_labels(events)
    lines = []
    for event in events:
        object_label = labels.get((event.object_type, event.object_id), _number(event))
        sentence = audit_sentence(event.action, actor=_actor_label(event), object_label=object_label)
        lines.append(AuditLine(event=event, sentence=sentence, object_label=object_label))
    return lines


def _actor_label(event: AuditEvent) -> str:
    if event.actor_id is not None and event.actor is not None:
        return str(event.actor)
    return event.actor_label or str(SYSTEM)


def _number(event: AuditEvent) -> str:
    return f"#{event.object_id}" if event.object_id else ""


def _object_labels(events: list[AuditEvent]) -> dict[tuple[str, str], str]:
    wanted: defaultdict[str, set[int]] = defaultdict(set)
    for event in events:
        if event.object_type in _LABELLED and event.object_id.isdigit():
            wanted[event.object_type].add(int(event.object_id))
    labels: dict[tuple[str, str], str] = {}
    for object_type, ids in wanted.items():
        model_label, columns = _LABELLED[object_type]
        model = apps.get_model(model_label)
        for pk, *values in model._base_manager.filter(pk__in=ids).values_list("pk", *columns):
            label = next((str(value) for value in values if value), "")
            if label:
                labels[(object_type, str(pk))] = label
    return labels
