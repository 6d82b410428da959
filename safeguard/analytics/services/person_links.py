"""Person linking: the review queue of uncertain pairs, and analysts' decisions on them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from safeguard.accounts.access import Actor
from safeguard.analytics import records
from safeguard.analytics.linking import Decision, LinkageOptions, PersonMention, ScoredPair, link_people
from safeguard.analytics.models import LinkStatus, PersonLinkCandidate
from safeguard.analytics.services.progress import Progress, no_progress
from safeguard.core.audit import audit_record


def person_linking_run(*, organisation_id: int | None, progress: Progress = no_progress) -> dict[str, int]:
    """Link the person mentions of one organisation's records and refresh its review queue.

    A system service (a queued run or the batch command); it takes no actor.
    """
    if organisation_id is None:
        raise ValueError("person linking runs for one organisation")
    progress("reading", 5)
    mentions = records.person_mentions(organisation_id)
    progress("linking", 30)
    return link_review_update(organisation_id=organisation_id, mentions=mentions)


def link_review_update(
    *, organisation_id: int, mentions: Sequence[PersonMention], options: LinkageOptions | None = None
) -> dict[str, int]:
    """Link person mentions with the analysts' decisions and refresh the review queue.

    Guarantees: decided pairs are never asked again and are passed to the model (a confirmed
    pair is always linked, a rejected pair never); pending pairs the model no longer finds
    uncertain leave the queue; new uncertain pairs join it. A system service: no actor.
    """
    decided = PersonLinkCandidate.objects.filter(organisation_id=organisation_id).exclude(
        status=LinkStatus.PENDING
    )
    decisions = [
        Decision(row.left_id, row.right_id, same_person=row.status == LinkStatus.CONFIRMED) for row in decided
    ]
    if len(mentions) < 2:
        result_pairs: tuple = ()
        linked = 0
    else:
        result = link_people(mentions, decisions=decisions, options=options)
        result_pairs = result.review_pairs
        linked = len(result.linked_pairs)
    decided_pairs = {frozenset((d.left_id, d.right_id)) for d in decisions}
    wanted = {
        tuple(sorted((pair.left_id, pair.right_id))): pair
        for pair in result_pairs
        if frozenset((pair.left_id, pair.right_id)) not in decided_pairs
    }
    now = timezone.now()
    with transaction.atomic():
        pending = PersonLinkCandidate.objects.filter(
            organisation_id=organisation_id, status=LinkStatus.PENDING
        )
        known = {(row.left_id, row.right_id): row for row in pending}
        stale = [row.pk for pair, row in known.items() if pair not in wanted]
        PersonLinkCandidate.objects.filter(pk__in=stale).delete()
        for (left, right), pair in wanted.items():
            explained = _explanation(pair)
            row = known.get((left, right))
            if row is None:
                PersonLinkCandidate.objects.create(
                    organisation_id=organisation_id,
                    left_id=left,
                    right_id=right,
                    created_at=now,
                    updated_at=now,
                    **explained,
                )
            else:
                for name, value in explained.items():
                    setattr(row, name, value)
                row.updated_at = now
                row.save(update_fields=[*explained, "updated_at"])
    return {"mentions": len(mentions), "review": len(wanted), "linked": linked, "decisions": len(decisions)}


def _explanation(pair: ScoredPair) -> dict[str, Any]:
    """What a candidate keeps of the model's score: probability, weights and each field's level."""
    return {
        "probability": round(pair.match_probability, 4),
        "match_weight": round(pair.match_weight, 3),
        "prior_weight": round(pair.prior_weight, 3),
        "comparisons": [
            {"column": c.column, "level": c.level, "gamma": c.gamma, "weight": round(c.match_weight, 3)}
            for c in pair.comparisons
        ],
    }


@transaction.atomic
def link_decide(*, candidate: PersonLinkCandidate, same_person: bool, actor: Actor) -> PersonLinkCandidate:
    """Record an analyst's verdict on a pair; kept and applied by every later linking run.

    Needs ``analytics.review`` in the pair's organisation.
    """
    actor.require("analytics.review")
    if candidate.organisation_id != getattr(actor.organisation, "pk", None):
        raise PermissionDenied("link candidate of another organisation")
    candidate.status = LinkStatus.CONFIRMED if same_person else LinkStatus.REJECTED
    candidate.decided_by = actor.user
    candidate.decided_at = timezone.now()
    candidate.updated_at = candidate.decided_at
    candidate.full_clean()
    candidate.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    audit_record(
        action="analytics.link_decided",
        actor=actor,
        target=candidate,
        detail={"status": candidate.status},
    )
    return candidate
