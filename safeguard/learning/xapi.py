"""xAPI 1.0.3 statements for learning records: building them, and checking their shape.

No Django imports. The actor is always an *account* whose name is a random pseudonym kept by
this installation (never an e-mail, ``mbox_sha1sum``, name or user id), so a record store sees
that the same learner passed two courses but not who they are.
"""

from __future__ import annotations

import datetime
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

__all__ = [
    "ACTIVITY_TYPES",
    "INTERACTION_TYPES",
    "VERBS",
    "VERSION",
    "Context",
    "answered",
    "assessed",
    "completed",
    "problems",
]

VERSION = "1.0.3"

VERBS = {
    "answered": "http://adlnet.gov/expapi/verbs/answered",
    "completed": "http://adlnet.gov/expapi/verbs/completed",
    "passed": "http://adlnet.gov/expapi/verbs/passed",
    "failed": "http://adlnet.gov/expapi/verbs/failed",
}
ACTIVITY_TYPES = {
    "course": "http://adlnet.gov/expapi/activities/course",
    "assessment": "http://adlnet.gov/expapi/activities/assessment",
    "question": "http://adlnet.gov/expapi/activities/cmi.interaction",
}
# Our question types as xAPI interaction types.
INTERACTION_TYPES = {
    "single": "choice",
    "multiple": "choice",
    "true_false": "true-false",
    "ordering": "sequencing",
}

_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


@dataclass(frozen=True)
class Context:
    """Who (by pseudonym), where, when and in which language: shared by an attempt's statements."""

    home_page: str
    pseudonym: str
    language: str
    timestamp: datetime.datetime
    registration: str | None = None


def _actor(home_page: str, pseudonym: str) -> dict[str, Any]:
    return {"objectType": "Agent", "account": {"homePage": home_page, "name": pseudonym}}


def _verb(key: str) -> dict[str, Any]:
    return {"id": VERBS[key], "display": {"en-US": key}}


def _activity(iri: str, kind: str, name: str, language: str, **definition: Any) -> dict[str, Any]:
    return {
        "objectType": "Activity",
        "id": iri,
        "definition": {"type": ACTIVITY_TYPES[kind], "name": {language: name}, **definition},
    }


def _score(fraction: Fraction, points: Fraction, questions: int) -> dict[str, Any]:
    return {
        "scaled": round(float(fraction), 4),
        "raw": round(float(points), 4),
        "min": 0,
        "max": questions,
    }


def _statement(
    who: Context, *, verb: str, activity: dict[str, Any], result: dict[str, Any], parent: str | None = None
) -> dict[str, Any]:
    context: dict[str, Any] = {"language": who.language, "platform": "Safeguard"}
    if who.registration:
        context["registration"] = who.registration
    if parent:
        context["contextActivities"] = {"parent": [{"objectType": "Activity", "id": parent}]}
    statement: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "version": VERSION,
        "actor": _actor(who.home_page, who.pseudonym),
        "verb": _verb(verb),
        "object": activity,
        "context": context,
        "timestamp": who.timestamp.isoformat(),
        "result": result,
    }
    return statement


def answered(
    who: Context, *, quiz_iri: str, question: Mapping[str, Any], fraction: Fraction
) -> dict[str, Any]:
    """One quiz question answered: its score (0–1) and whether fully right; never the answer given."""
    activity = _activity(
        f"{quiz_iri}/{question['id']}",
        "question",
        str(question["prompt"])[:500],
        who.language,
        interactionType=INTERACTION_TYPES[str(question["type"])],
    )
    result = {"success": fraction == 1, "score": {"scaled": round(float(fraction), 4), "raw": round(float(fraction), 4), "min": 0, "max": 1}}  # fmt: skip
    return _statement(who, verb="answered", activity=activity, result=result, parent=quiz_iri)


def assessed(
    who: Context,
    *,
    quiz_iri: str,
    course_iri: str,
    title: str,
    passed: bool,
    percent: Fraction,
    points: Fraction,
    questions: int,
) -> dict[str, Any]:
    """A whole quiz attempt: passed or failed, with the score."""
    return _statement(
        who,
        verb="passed" if passed else "failed",
        activity=_activity(quiz_iri, "assessment", title, who.language),
        result={"success": passed, "completion": True, "score": _score(percent / 100, points, questions)},
        parent=course_iri,
    )


def completed(who: Context, *, course_iri: str, title: str) -> dict[str, Any]:
    """The course completed (its quiz passed)."""
    return _statement(
        who,
        verb="completed",
        activity=_activity(course_iri, "course", title, who.language),
        result={"completion": True, "success": True},
    )


def _check_iri(value: Any, where: str, out: list[str]) -> None:
    if not isinstance(value, str) or not _IRI.match(value):
        out.append(f"{where} must be an IRI")


def problems(statement: Mapping[str, Any]) -> list[str]:
    """What makes ``statement`` not a valid xAPI 1.0.x statement (the parts we use); [] if none."""
    out: list[str] = []
    for required in ("actor", "verb", "object"):
        if required not in statement:
            out.append(f"{required} is required")
    try:
        uuid.UUID(str(statement.get("id", "")))
    except ValueError:
        out.append("id must be a UUID")
    actor = statement.get("actor", {})
    identifiers = [key for key in ("mbox", "mbox_sha1sum", "openid", "account") if key in actor]
    if identifiers != ["account"]:
        out.append("actor must be identified by an account only")
    else:
        account = actor["account"]
        _check_iri(account.get("homePage"), "actor.account.homePage", out)
        if not account.get("name"):
            out.append("actor.account.name is required")
    if "name" in actor:
        out.append("actor must not carry a name")
    verb = statement.get("verb", {})
    _check_iri(verb.get("id"), "verb.id", out)
    if not isinstance(verb.get("display"), dict) or not verb["display"]:
        out.append("verb.display must be a language map")
    target = statement.get("object", {})
    _check_iri(target.get("id"), "object.id", out)
    if target.get("objectType", "Activity") != "Activity":
        out.append("object must be an Activity")
    _check_iri(target.get("definition", {}).get("type"), "object.definition.type", out)
    if not _ISO.match(str(statement.get("timestamp", ""))):
        out.append("timestamp must be ISO 8601 with a time zone")
    score = statement.get("result", {}).get("score")
    if score is not None:
        scaled = score.get("scaled")
        if scaled is not None and not -1 <= scaled <= 1:
            out.append("result.score.scaled must be between -1 and 1")
        if (
            "min" in score
            and "max" in score
            and not score["min"] <= score.get("raw", score["min"]) <= score["max"]
        ):
            out.append("result.score.raw must lie between min and max")
    registration = statement.get("context", {}).get("registration")
    if registration is not None:
        try:
            uuid.UUID(registration)
        except ValueError:
            out.append("context.registration must be a UUID")
    return out


def problems_in(statements: Sequence[Mapping[str, Any]]) -> list[str]:
    return [
        f"{index}: {problem}" for index, statement in enumerate(statements) for problem in problems(statement)
    ]
