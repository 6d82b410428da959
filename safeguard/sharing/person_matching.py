"""Person matching between paired installations: "do you know this person?".

The asking side (``person_question_ask``): a caseworker or supervisor who may edit a case asks a
paired installation about the case's child or survivor, or about the person a tracing request
on the case seeks. It encodes the person's names (and birth date when known) as Bloom-filter
CLKs (``encodings``) under a secret for this question only: X25519 between the two
installations' keys (``sealing.question_secret``) stretched with HKDF over a fresh random salt
sent with the question, so the encodings of two questions cannot be compared with each other.
Only the encodings, the salt and this installation's X25519 public key travel, in a signed
request; BLIP flips a few of their bits.

The asked side (``received_question``) derives the same secret, encodes its own candidates —
the people of cases of its organisations that take part in person matching, and only cases
with a consent in force to share with another installation — compares by Dice similarity and
answers which of the question's names matched above *its* threshold, per organisation, with an
opaque match reference: never a name. Both sides then hold a match notice (``federation``'s
``FederatedMatch`` + collaboration ``MatchNotice``) that leads to the existing access request.
Neither side keeps the other's encodings: a ``PersonQuestion`` holds the SHA-256 of the
question and the result. Every question is audited on both sides; unpairing stops it at once.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import uuid
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import numpy as np
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safeguard.accounts.access import Actor
from safeguard.cases.access import require_case_in_reach
from safeguard.cases.models import Case, ConsentScope
from safeguard.core.audit import audit_record
from safeguard.sharing import federation, handovers, sealing
from safeguard.sharing.encodings import (
    WordArray,
    dice_matrix,
    encode,
)
from safeguard.sharing.models import (
    InstallationIdentity,
    Peer,
    PeerStatus,
    PersonMatchSettings,
    PersonQuestion,
)
from safeguard.sharing.person_questions import BITS, FLIP, HASHES, THRESHOLDS, question_schema
from safeguard.tracing.access import require_request_in_reach
from safeguard.tracing.models import TracingRequest

MAX_NAMES = 5  # a name and up to four other names
MAX_QUESTIONS_PER_DAY = 200  # per paired installation, against mass probing
MAX_FILL = 0.5  # an encoding with more bits set than this is refused (it would match too much)
SALT_BYTES = 32
KIND = "name"  # the kind the match notice names ("person name")

Candidate = tuple[int, int, dict[str, str]]  # (organisation, case, {"name", "dob"})


def _context(asker_url: str, asked_url: str, reference: str) -> bytes:
    return f"{asker_url}\n{asked_url}\n{reference}".encode()


def _enabled(organisation_id: int) -> bool:
    return PersonMatchSettings.objects.filter(organisation_id=organisation_id, enabled=True).exists()


def person_match_settings_update(*, actor: Actor, enabled: bool) -> PersonMatchSettings:
    """Turn the actor's organisation's person matching with paired installations on or off."""
    actor.require("collaboration.settings")
    assert actor.organisation is not None  # require needs an organisation role
    with transaction.atomic():
        settings, _created = PersonMatchSettings.objects.get_or_create(organisation=actor.organisation)
        settings.enabled = enabled
        settings.changed_by = actor.user
        settings.changed_at = timezone.now()
        settings.full_clean()
        settings.save(update_fields=["enabled", "changed_by", "changed_at"])
        audit_record(
            action="sharing.person_match_settings_updated", actor=actor, target=settings,
            detail={"enabled": enabled},
        )  # fmt: skip
    return settings


# ---- asking ---------------------------------------------------------------------------------


def _names_of(case: Case | None, tracing_request: TracingRequest | None) -> tuple[list[str], str]:
    """The names (first the main one) and the ISO birth date ("" if unknown) of the person asked about."""
    if tracing_request is not None:
        names = [tracing_request.sought_name, *(tracing_request.sought_aliases or [])]
        birth_date = ""
    else:
        assert case is not None
        names = [case.person.full_name, *(case.person.aliases or [])]
        birth_date = case.person.birth_date or ""
    unique = list(dict.fromkeys(str(name).strip() for name in names if str(name).strip()))
    return unique[:MAX_NAMES], birth_date


def question_payload(
    *, own_key: str, their_key: str, context: bytes, reference: str, names: Sequence[str], birth_date: str
) -> dict[str, Any]:
    """The question as it travels: salt, the asker's X25519 key, and one CLK per name (with BLIP)."""
    fields = ("name", "dob") if birth_date else ("name",)
    salt = os.urandom(SALT_BYTES)
    secret = sealing.question_secret(own_key, their_key, salt, context)
    encoded = encode(
        [{"name": name, "dob": birth_date} for name in names], question_schema(fields, flip=FLIP), secret
    )
    return {
        "question": reference,
        "salt": base64.b64encode(salt).decode(),
        "box_public_key": sealing.public_key_of(own_key),
        "fields": list(fields),
        "names": [
            {"id": str(index), "clk": base64.b64encode(row.tobytes()).decode()}
            for index, row in enumerate(encoded)
        ],
    }


def person_question_ask(
    *, actor: Actor, peer: Peer, case: Case | None = None, tracing_request: TracingRequest | None = None
) -> PersonQuestion:
    """Ask ``peer`` whether it knows the person of ``case`` (or the one ``tracing_request`` seeks).

    Needs ``case.edit`` on the case and the organisation taking part in person matching; the
    installation must be paired. Returns the question, with the matches stored as notices.
    """
    if (case is None) == (tracing_request is None):
        raise ValueError("ask about a case or a tracing request")
    if tracing_request is not None:
        require_request_in_reach(actor, tracing_request, "case.edit")
        case = tracing_request.case
    else:
        assert case is not None
        require_case_in_reach(actor, case, "case.edit")
        handovers._consent_for(actor, case, "")  # no override: the person's own names leave, if only encoded
    assert actor.organisation is not None and case is not None
    if not _enabled(actor.organisation.pk):
        raise PermissionDenied("the organisation does not take part in person matching")
    me = federation.identity()
    if me is None or not Peer.objects.filter(pk=peer.pk, status=PeerStatus.PAIRED).exists():
        raise ValidationError(_("This installation is not paired."))
    names, birth_date = _names_of(case, tracing_request)
    if not names:
        raise ValidationError(_("The person has no name to ask about."))
    their_key = str(federation.post(me, peer.url, "handover_key", {}).get("box_public_key", ""))
    handovers.box_key(me)  # made the first time this installation needs one
    reference = str(uuid.uuid4())
    try:
        payload = question_payload(
            own_key=me.box_private_key, their_key=their_key, context=_context(me.url, peer.url, reference),
            reference=reference, names=names, birth_date=birth_date,
        )  # fmt: skip
    except sealing.SealError as error:
        raise federation.FederationError(_("The other installation sent no usable key.")) from error
    digest = hashlib.sha256(json.dumps(payload).encode()).hexdigest()
    answer = federation.post(me, peer.url, "person_question", payload)
    wanted = {str(index) for index in range(len(names))}
    organisation_id = actor.organisation.pk
    with transaction.atomic():
        question = PersonQuestion.objects.create(
            peer=peer, outgoing=True, reference=reference, digest=digest, organisation=actor.organisation,
            case=case, tracing_request=tracing_request, asked_by=actor.user, names=len(names),
        )  # fmt: skip
        stored = 0
        for entry in answer.get("matches", []) if isinstance(answer.get("matches"), list) else []:
            matched = (
                [str(n) for n in entry.get("names", []) if str(n) in wanted]
                if isinstance(entry, dict)
                else []
            )
            if not matched or not isinstance(entry.get("reference"), str):
                continue
            key = f"{KIND}:{reference}"
            federation._store_match(
                peer=peer, organisation_id=organisation_id, keys=[key],
                held={key: [(organisation_id, "case", case.pk)]},
                other=_("%(organisation)s at %(installation)s")
                % {"organisation": str(entry.get("organisation", ""))[:100], "installation": peer},
                other_counts=federation._clean_counts(entry.get("counts")),
                reference=entry["reference"][:36], asked_here=True,
            )  # fmt: skip
            stored += 1
        question.matched = stored
        question.save(update_fields=["matched"])
        audit_record(
            action="sharing.federation_person_asked", actor=actor, target=question,
            detail={"installation": peer.pk, "case": case.pk, "tracing_request": getattr(tracing_request, "pk", None),
                    "names": len(names), "matched": stored},
        )  # fmt: skip
    return question


# ---- answering ------------------------------------------------------------------------------


def candidates(fields: Sequence[str]) -> list[Candidate]:
    """The people this installation compares questions with, once per name.

    People of cases of organisations that take part in person matching, whose case has a consent
    in force to share with an organisation of another installation; merged cases are left out.
    """
    organisations = PersonMatchSettings.objects.filter(enabled=True).values("organisation_id")
    cases = (
        Case.objects.filter(
            organisation_id__in=organisations,
            merged_into__isnull=True,
            consents__scope=ConsentScope.SHARE_INSTALLATION,
            consents__withdrawn_at__isnull=True,
        )
        .distinct()
        .select_related("person")
        .order_by("pk")
    )
    rows: list[Candidate] = []
    for case in cases:
        birth_date = case.person.birth_date or ""
        if "dob" in fields and not birth_date:
            continue  # a question with a birth date is compared only with people whose birth date is known
        for name in dict.fromkeys([case.person.full_name, *(case.person.aliases or [])]):
            if str(name).strip():
                rows.append((case.organisation_id, case.pk, {"name": str(name), "dob": birth_date}))
    return rows


def _decoded(payload: dict[str, Any]) -> tuple[tuple[str, ...], bytes, str, list[str], WordArray]:
    fields = tuple(payload.get("fields", []))
    if fields not in THRESHOLDS:
        raise ValidationError("fields")
    try:
        salt = base64.b64decode(str(payload.get("salt", "")), validate=True)
        names = payload.get("names", [])
        if not isinstance(names, list) or not 0 < len(names) <= MAX_NAMES:
            raise ValidationError("names")
        ids = [str(entry["id"])[:8] for entry in names]
        raw = [base64.b64decode(str(entry["clk"]), validate=True) for entry in names]
    except (KeyError, TypeError, ValueError) as error:
        raise ValidationError("names") from error
    if len(salt) != SALT_BYTES or any(len(row) != BITS // 8 for row in raw):
        raise ValidationError("salt or encoding size")
    encoded = np.frombuffer(b"".join(raw), dtype=np.uint64).reshape(len(raw), BITS // 64).copy()
    filled = np.bitwise_count(encoded).sum(axis=1)
    if (filled < HASHES).any() or (filled > MAX_FILL * BITS).any():
        raise ValidationError("an encoding is empty or too full")
    return fields, salt, str(payload.get("box_public_key", "")), ids, encoded


def received_question(*, peer: Peer, payload: dict[str, Any], body: bytes) -> dict[str, Any]:
    """Answer a paired installation's question: which of its names match people here, per organisation."""
    reference = payload.get("question")
    if not isinstance(reference, str) or not 0 < len(reference) <= 36:
        raise ValidationError("question")
    fields, salt, their_key, ids, encoded = _decoded(payload)
    since = timezone.now() - timedelta(days=1)
    if (
        PersonQuestion.objects.filter(peer=peer, outgoing=False, asked_at__gte=since).count()
        >= MAX_QUESTIONS_PER_DAY
    ):
        raise PermissionDenied("too many questions today")
    if PersonQuestion.objects.filter(peer=peer, outgoing=False, reference=reference).exists():
        raise PermissionDenied("already asked")
    me: InstallationIdentity | None = federation.identity()
    if me is None or not me.box_private_key:
        raise PermissionDenied("no key")
    try:
        secret = sealing.question_secret(
            me.box_private_key, their_key, salt, _context(peer.url, me.url, reference)
        )
    except sealing.SealError as error:
        raise ValidationError("box_public_key") from error
    people = candidates(fields)
    best: dict[int, dict[int, set[str]]] = {}  # organisation → case → the question's names it matched
    if people:
        own = encode([person for _org, _case, person in people], question_schema(fields), secret)
        scores = dice_matrix(encoded, own)
        rows, columns = np.nonzero(scores >= THRESHOLDS[fields])
        for row, column in zip(rows.tolist(), columns.tolist(), strict=True):
            organisation_id, case_id, _person = people[column]
            best.setdefault(organisation_id, {}).setdefault(case_id, set()).add(ids[row])
    answer: list[dict[str, Any]] = []
    with transaction.atomic():
        question = PersonQuestion.objects.create(
            peer=peer, outgoing=False, reference=reference, digest=hashlib.sha256(body).hexdigest(),
            names=len(ids), matched=len(best),
        )  # fmt: skip
        for organisation_id, cases in sorted(best.items()):
            key = f"{KIND}:{reference}"
            match = federation._store_match(
                peer=peer, organisation_id=organisation_id, keys=[key],
                held={key: [(organisation_id, "case", case_id) for case_id in sorted(cases)]},
                other=str(peer), other_counts={"case": 1}, reference=str(uuid.uuid4()), asked_here=False,
            )  # fmt: skip
            answer.append(
                {
                    "reference": match.reference,
                    "organisation": match.organisation.name,
                    "names": sorted(set().union(*cases.values())),
                    "counts": {"case": len(cases)},
                }
            )
        audit_record(
            action="sharing.federation_person_answered", organisation=None, target=question,
            detail={"installation": peer.pk, "names": len(ids), "matched": len(best)},
        )  # fmt: skip
    return {"matches": answer}
