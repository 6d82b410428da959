"""Learning records as xAPI statements: recorded with each quiz attempt, exported as JSON by an
organisation's learning managers, and pushed to a learning record store when one is configured.

Only learners with an enrolment (staff, and public learners with an account) have records; a
public learner without an account leaves none. Statements name the learner by a random
pseudonym (``Pseudonym``), never by e-mail or name, and never carry the answers given.
"""

from __future__ import annotations

import base64
import datetime
import json
import logging
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from safeguard.accounts.access import Actor
from safeguard.core.audit import audit_record
from safeguard.learning import xapi
from safeguard.learning.models import Enrolment, Pseudonym, Statement
from safeguard.learning.scoring import QuizResult

logger = logging.getLogger(__name__)

BATCH = 50
MAX_SEND_ATTEMPTS = 8
TIMEOUT_SECONDS = 10


def _pseudonym(enrolment: Enrolment) -> str:
    if enrolment.learner is not None:
        return str(enrolment.learner.key)
    pseudonym, _created = Pseudonym.objects.get_or_create(user=enrolment.user)
    return str(pseudonym.key)


def course_iri(slug: str, version: int) -> str:
    return f"{settings.LRS_ACTIVITY_BASE}/learn/{slug}/v{version}"


def statements_record_attempt(*, enrolment: Enrolment, result: QuizResult) -> list[Statement]:
    """Record one quiz attempt: a statement per question answered, the quiz passed or failed,
    and the course completed on a pass. Runs inside the attempt's transaction (system service:
    the caller has already checked the learner); schedules the push to the LRS on commit."""
    version = enrolment.version
    content = version.language(enrolment.language)
    course = course_iri(enrolment.course.slug, version.number)
    quiz = f"{course}/quiz"
    now = timezone.now()
    who = xapi.Context(
        home_page=settings.LRS_ACTIVITY_BASE,
        pseudonym=_pseudonym(enrolment),
        language=enrolment.language,
        timestamp=now,
        registration=str(uuid.uuid5(uuid.NAMESPACE_URL, f"{course}/enrolment/{enrolment.pk}")),
    )
    questions = {question["id"]: question for question in content["questions"]}
    bodies = [
        xapi.answered(who, quiz_iri=quiz, question=questions[item.question_id], fraction=item.points)
        for item in result.results
    ]
    bodies.append(
        xapi.assessed(
            who,
            quiz_iri=quiz,
            course_iri=course,
            title=content["title"],
            passed=result.passed,
            percent=result.percent,
            points=result.points,
            questions=result.questions,
        )
    )
    if result.passed:
        bodies.append(xapi.completed(who, course_iri=course, title=content["title"]))
    rows = Statement.objects.bulk_create(
        Statement(
            id=uuid.UUID(body["id"]),
            organisation=enrolment.organisation,
            enrolment=enrolment,
            verb=body["verb"]["display"]["en-US"],
            body=body,
        )
        for body in bodies
    )
    if settings.LRS_ENDPOINT:
        from safeguard.learning.tasks import lrs_push

        transaction.on_commit(lambda: lrs_push.enqueue(attempt=0))
    return rows


def statements_for(actor: Actor) -> QuerySet[Statement]:
    """The statements of the actor's organisation's learners, for ``learning.manage``."""
    actor.require("learning.manage")
    if actor.organisation is None:
        return Statement.objects.none()
    return Statement.objects.filter(organisation=actor.organisation)


def statements_export(*, actor: Actor) -> dict[str, Any]:
    """An xAPI ``StatementResult`` of every statement of the actor's organisation; audited."""
    statements = list(statements_for(actor).values_list("body", flat=True).iterator(chunk_size=2000))
    audit_record(action="learning.records_exported", actor=actor, detail={"statements": len(statements)})
    return {"statements": statements, "more": ""}


@dataclass(frozen=True)
class PushOutcome:
    sent: int
    failed: int
    more: bool  # another batch is waiting


def _post(statements: list[dict[str, Any]]) -> None:
    request = urllib.request.Request(  # noqa: S310 - the operator's https/http endpoint, checked in settings
        f"{settings.LRS_ENDPOINT}/statements",
        data=json.dumps(statements).encode(),
        method="POST",
        headers={"Content-Type": "application/json", "X-Experience-API-Version": xapi.VERSION},
    )
    if settings.LRS_USERNAME:
        token = base64.b64encode(f"{settings.LRS_USERNAME}:{settings.LRS_PASSWORD}".encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            response.read()
    except urllib.error.HTTPError as error:
        # 409: the store already holds statements with these ids (a retry after a lost answer).
        if error.code != 409:
            raise


def lrs_push_pending() -> PushOutcome:
    """Send the oldest unsent statements (one batch) to the configured LRS (system service).

    A failure is counted on each statement of the batch; a statement that failed
    ``MAX_SEND_ATTEMPTS`` times is no longer sent automatically (it stays in the export).
    """
    if not settings.LRS_ENDPOINT:
        return PushOutcome(sent=0, failed=0, more=False)
    pending = Statement.objects.filter(sent_at__isnull=True, send_attempts__lt=MAX_SEND_ATTEMPTS)
    batch = list(pending.order_by("created_at", "id")[:BATCH])
    if not batch:
        return PushOutcome(sent=0, failed=0, more=False)
    ids = [row.pk for row in batch]
    try:
        _post([row.body for row in batch])
    except (urllib.error.URLError, OSError, ValueError) as error:
        message = str(error)[:300]
        for row in batch:
            row.send_attempts += 1
            row.last_error = message
        Statement.objects.bulk_update(batch, ["send_attempts", "last_error"])
        logger.warning("LRS push of %d statements failed: %s", len(batch), message)
        return PushOutcome(sent=0, failed=len(batch), more=False)
    Statement.objects.filter(pk__in=ids).update(sent_at=timezone.now(), last_error="")
    return PushOutcome(sent=len(batch), failed=0, more=pending.exists())


def retry_delay(attempt: int) -> datetime.timedelta:
    """30 s, 1 min, 2 min, … at most an hour between tries."""
    return datetime.timedelta(seconds=min(30 * 2**attempt, 3600))
