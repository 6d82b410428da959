"""Reads: case lists, a caseworker's home, a supervisor's overview, the duplicate check, and what
consent allows to be shared."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from safeguard.accounts.access import Actor
from safeguard.accounts.models import Organisation, User
from safeguard.accounts.roles import OrganisationKind
from safeguard.cases.access import cases_visible_to
from safeguard.cases.forms import AGE_BANDS, CASE_SORTS
from safeguard.cases.matching import THRESHOLD, Profile, Score, name_keys, name_tokens, score
from safeguard.cases.models import (
    NAME_KEY_PURPOSE,
    CarePlan,
    Case,
    CaseEvent,
    CaseEventKind,
    CaseFlag,
    CaseNoteKind,
    CaseQuerySet,
    CaseStatus,
    ClosureReason,
    ClosureRequest,
    Consent,
    ConsentScope,
    FollowUp,
    Milestone,
    PersonNameKey,
    PlanStatus,
    Referral,
    ReferralStatus,
    Task,
    Team,
    Transfer,
    TransferStatus,
)
from safeguard.cases.services.registration import PersonDetails
from safeguard.core.fields import blind_index_for
from safeguard.core.flags import flag_filter

DUE_SOON_DAYS = 7
MAX_CANDIDATES = 150
# Only what scoring and the candidate list show is loaded, so contact details stay encrypted.
CANDIDATE_FIELDS = (
    "reference", "status", "organisation_id", "owner_id",
    "person__first_name", "person__middle_name", "person__second_name", "person__aliases", "person__birth_year",
    "person__birth_year_estimated", "person__gender", "person__citizenships", "person__country",
    "person__subdivision",
)  # fmt: skip


def case_list(
    actor: Actor,
    *,
    status: str = "",
    risk: str = "",
    name: str = "",
    reference: str = "",
    owner: User | None = None,
    team: Team | None = None,
    age: str = "",
    exploitation: str = "",
    place: str = "",
    registered_from: date | None = None,
    registered_to: date | None = None,
    flag: str = "",
    sort: str = "",
) -> CaseQuerySet:
    """Cases the actor may see, newest first unless ``sort`` (a CASE_SORTS key, "-" for descending)
    says otherwise; every filter narrows what the actor may see, never widens it.

    A name is matched through its stored phonetic keys (first names, second names and aliases):
    every word searched must share a key, so nothing is decrypted to search.
    """
    open_flags = CaseFlag.objects.filter(resolved_at__isnull=True)
    cases: CaseQuerySet = (
        cases_visible_to(actor)
        .select_related("person", "owner", "team")
        .prefetch_related(Prefetch("flags", queryset=open_flags, to_attr="open_flags"))
    )
    if flag:
        cases = cases.filter(flag_filter(flag, open_flags.filter(case=OuterRef("pk"))))
    if status == "open":
        cases = cases.open()
    elif status:
        cases = cases.filter(status=status)
    if risk:
        cases = cases.filter(risk_level=risk)
    if reference:
        cases = cases.filter(reference__iexact=reference.strip())
    if owner is not None:
        cases = cases.filter(owner=owner)
    if team is not None:
        cases = cases.filter(team=team)
    if age:
        youngest, oldest = AGE_BANDS[age]
        year = timezone.localdate().year
        cases = cases.filter(person__birth_year__gte=year - oldest, person__birth_year__lte=year - youngest)
    if exploitation:
        # A validated picklist value, looked for as a JSON string in the stored list (portable).
        cases = cases.alias(types=Cast("exploitation_types", TextField())).filter(
            types__contains=f'"{exploitation}"'
        )
    if place:
        cases = (
            cases.filter(person__subdivision=place) if "-" in place else cases.filter(person__country=place)
        )
    # As ``registered_at__date`` in the current time zone, but a range on the timestamp itself,
    # so the (organisation, status|risk, registered_at) indexes serve it (bench/cases/README.md).
    if registered_from:
        cases = cases.filter(registered_at__gte=_day_start(registered_from))
    if registered_to and registered_to < date.max:
        cases = cases.filter(registered_at__lt=_day_start(registered_to + timedelta(days=1)))
    for word in name_tokens([name]):
        keys = [blind_index_for(code, purpose=NAME_KEY_PURPOSE) for code in name_keys([word])]
        cases = cases.filter(person__in=PersonNameKey.objects.filter(key__in=keys).values("person_id"))
    if sort:
        column = CASE_SORTS[sort.removeprefix("-")]
        descending = sort.startswith("-")
        cases = cases.order_by(f"-{column}" if descending else column, "-id" if descending else "id")
    return cases


def _day_start(day: date) -> datetime:
    """The first instant of ``day`` in the current time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


def case_timeline(case: Case) -> QuerySet[CaseEvent]:
    """Events of the case and of every case merged into it, newest first."""
    return CaseEvent.objects.filter(Q(case=case) | Q(case__merged_into=case)).select_related("actor", "case")


@dataclass(frozen=True)
class TimelineEntry:
    event: CaseEvent
    summary: str  # what was recorded with the change, for a reader who may see the case


def _labelled(*parts: str) -> str:
    return " — ".join(part for part in parts if part)


def timeline_entries(case: Case, *, limit: int = 100) -> list[TimelineEntry]:
    """The timeline with what each step recorded: follow-up outcomes and notes, milestones,
    plan decisions, closure reasons and decisions, reopening reasons.

    Events hold ids only; the recorded text is read from its (encrypted) row, one query per kind.
    """
    events = list(case_timeline(case)[:limit])
    wanted: dict[str, set[int]] = {"follow_up_id": set(), "milestone_id": set(), "plan_id": set()}
    wanted["closure_request_id"] = set()
    for event in events:
        for key, ids in wanted.items():
            if isinstance(event.detail.get(key), int):
                ids.add(event.detail[key])
    follow_ups = FollowUp.objects.in_bulk(wanted["follow_up_id"])
    milestones = Milestone.objects.in_bulk(wanted["milestone_id"])
    plans = CarePlan.objects.in_bulk(wanted["plan_id"])
    closures = ClosureRequest.objects.in_bulk(wanted["closure_request_id"])
    entries = []
    for event in events:
        detail, summary = event.detail, ""
        if (follow_up := follow_ups.get(detail.get("follow_up_id", 0))) is not None:
            if event.kind == CaseEventKind.FOLLOW_UP_DONE:
                summary = _labelled(follow_up.purpose, follow_up.get_outcome_display(), follow_up.notes)
            else:
                summary = follow_up.purpose
        elif (milestone := milestones.get(detail.get("milestone_id", 0))) is not None:
            summary = _labelled(milestone.get_kind_display(), milestone.notes)
        elif (plan := plans.get(detail.get("plan_id", 0))) is not None:
            if event.kind in (CaseEventKind.PLAN_APPROVED, CaseEventKind.PLAN_REJECTED):
                summary = plan.decision_note
        elif event.kind in (CaseEventKind.NOTE_ADDED, CaseEventKind.NOTE_EDITED) and "kind" in detail:
            summary = str(CaseNoteKind(detail["kind"]).label)
        elif (closure := closures.get(detail.get("closure_request_id", 0))) is not None:
            if event.kind == CaseEventKind.CLOSURE_REQUESTED:
                summary = _labelled(closure.get_reason_code_display(), closure.details)
            elif event.kind == CaseEventKind.REOPENED:
                summary = closure.reopen_reason
            else:
                summary = closure.decision_note
        entries.append(TimelineEntry(event=event, summary=summary))
    return entries


@dataclass(frozen=True)
class Home:
    overdue: list[Task]
    due_soon: list[Task]
    open_cases: int


def my_pending_tasks(actor: Actor) -> QuerySet[Task]:
    """The actor's own pending tasks in their organisation, soonest due first."""
    return (
        Task.objects.pending()
        .filter(assignee=actor.user, organisation=actor.organisation)
        .select_related("case")
        .order_by("due_on", "id")
    )


def caseworker_home(actor: Actor, *, limit: int = 25) -> Home:
    """The actor's own pending tasks in their organisation: overdue ones, then those due soon."""
    today = timezone.localdate()
    tasks = my_pending_tasks(actor)
    return Home(
        overdue=list(tasks.filter(due_on__lt=today)[:limit]),
        due_soon=list(
            tasks.filter(due_on__gte=today, due_on__lte=today + timedelta(days=DUE_SOON_DAYS))[:limit]
        ),
        open_cases=Case.objects.open().filter(owner=actor.user, organisation=actor.organisation).count(),
    )


@dataclass(frozen=True)
class Workload:
    user: User
    open_cases: int
    overdue_tasks: int


@dataclass(frozen=True)
class Overview:
    workload: list[Workload]
    plans: list[CarePlan]
    closures: list[Case]
    transfers: list[Transfer]
    overrides: int


CLOSURE_REPORT_DAYS = 365


@dataclass(frozen=True)
class ClosureCount:
    reason: str  # the listed reason's label, or "not recorded" for closures before reasons were listed
    closed: int


def closures_by_reason(actor: Actor, *, days: int = CLOSURE_REPORT_DAYS) -> list[ClosureCount]:
    """Cases of the actor's organisation closed in the last ``days``, counted by listed reason, most first."""
    since = timezone.now() - timedelta(days=days)
    counts = (
        cases_visible_to(actor)
        .filter(status=CaseStatus.CLOSED, closed_at__gte=since)
        .values_list("closure_reason_code")
        .annotate(n=Count("*"))
        .values_list("closure_reason_code", "n")
    )
    rows = [
        ClosureCount(str(ClosureReason(code).label) if code else str(_("not recorded")), n)
        for code, n in counts
    ]
    return sorted(rows, key=lambda row: (-row.closed, row.reason))


def supervisor_overview(actor: Actor, *, limit: int = 25) -> Overview:
    """The organisation's workload per owner and what awaits a supervisor's decision."""
    today = timezone.localdate()
    organisation = actor.organisation
    open_counts = dict(
        Case.objects.open()
        .filter(organisation=organisation)
        .values_list("owner")
        .annotate(n=Count("*"))
        .values_list("owner", "n")
    )
    overdue_counts = dict(
        Task.objects.pending()
        .filter(organisation=organisation, due_on__lt=today)
        .values_list("assignee")
        .annotate(n=Count("*"))
        .values_list("assignee", "n")
    )
    users = User.objects.in_bulk(set(open_counts) | set(overdue_counts))
    workload = sorted(
        (Workload(user, open_counts.get(pk, 0), overdue_counts.get(pk, 0)) for pk, user in users.items()),
        key=lambda row: (-row.overdue_tasks, -row.open_cases, row.user.name),
    )
    return Overview(
        workload=workload,
        plans=list(
            CarePlan.objects.filter(case__organisation=organisation, status=PlanStatus.SUBMITTED)
            .select_related("case", "submitted_by")
            .order_by("submitted_at")[:limit]
        ),
        closures=list(
            Case.objects.filter(organisation=organisation, status=CaseStatus.CLOSURE_REQUESTED)
            .select_related("owner")
            .order_by("updated_at")[:limit]
        ),
        transfers=list(
            Transfer.objects.filter(to_organisation=organisation, status=TransferStatus.PENDING)
            .select_related("case", "from_organisation")
            .order_by("requested_at")[:limit]
        ),
        overrides=Referral.objects.filter(
            case__organisation=organisation,
            consent__isnull=True,
            created_at__gte=timezone.now() - timedelta(days=30),
        ).count(),
    )


def incoming_referrals(actor: Actor, *, status: str = "") -> QuerySet[Referral]:
    if actor.organisation is None or not actor.can("referral.respond"):
        return Referral.objects.none()
    referrals = Referral.objects.filter(provider=actor.organisation).select_related("service", "case")
    if status:
        referrals = referrals.filter(status=status)
    else:
        referrals = referrals.exclude(status__in=[ReferralStatus.CANCELLED])
    return referrals


@dataclass(frozen=True)
class DuplicateCandidate:
    case: Case
    score: Score

    @property
    def percent(self) -> int:
        return round(self.score.value * 100)


def profile_of(case: Case) -> Profile:
    person = case.person
    return Profile(
        names=[person.full_name, *(person.aliases or [])],
        birth_year=person.birth_year,
        birth_year_estimated=person.birth_year_estimated,
        gender=person.gender,
        citizenships=person.citizenships or [],
        place=person.subdivision or person.country,
    )


def find_duplicates(
    actor: Actor, profile: Profile, *, exclude_case_id: int | None = None, limit: int = 10
) -> list[DuplicateCandidate]:
    """Likely existing cases of the same child among the cases ``actor`` may see.

    Blocking happens in the database (a shared phonetic name key and a plausible birth year);
    only those candidates are decrypted and scored. Returns the best first, never merges.
    """
    keys = [blind_index_for(code, purpose=NAME_KEY_PURPOSE) for code in name_keys(profile.names)]
    if not keys:
        return []
    candidates: Any = cases_visible_to(actor).exclude(status=CaseStatus.MERGED)
    candidates = candidates.filter(person__name_keys__key__in=keys)
    if profile.birth_year:
        # Wider than this and the score cannot reach THRESHOLD (see matching.score): a birth
        # year more than one year off counts against a candidate unless one side is an estimate.
        year = profile.birth_year
        near = Q(person__birth_year__gte=year - 1, person__birth_year__lte=year + 1)
        estimated = Q(person__birth_year__gte=year - 3, person__birth_year__lte=year + 3)
        if profile.birth_year_estimated:
            candidates = candidates.filter(Q(person__birth_year__isnull=True) | estimated)
        else:
            candidates = candidates.filter(
                Q(person__birth_year__isnull=True) | near | (estimated & Q(person__birth_year_estimated=True))
            )
    if exclude_case_id is not None:
        candidates = candidates.exclude(pk=exclude_case_id)
    # Candidates sharing more name keys first; only the best few are decrypted and scored.
    ranked = candidates.values("pk").annotate(shared=Count("person__name_keys")).order_by("-shared", "-pk")
    ids = [row["pk"] for row in ranked[:MAX_CANDIDATES]]
    found = []
    rows = Case.objects.filter(pk__in=ids).select_related("person").only(*CANDIDATE_FIELDS)
    for case in rows:
        result = score(profile, profile_of(case))
        if result.value >= THRESHOLD:
            found.append(DuplicateCandidate(case=case, score=result))
    found.sort(key=lambda candidate: -candidate.score.value)
    return found[:limit]


def consent_covering(case: Case, organisation: Organisation) -> Consent | None:
    """Consent in force that lets this case's data go to ``organisation``, or None."""
    consents = case.consents.in_force()
    named = consents.filter(scope=ConsentScope.SHARE_ORGANISATION, organisation=organisation).first()
    if named is not None:
        return named
    if organisation.kind == OrganisationKind.LAW_ENFORCEMENT:
        return consents.filter(scope=ConsentScope.LAW_ENFORCEMENT).first()
    if organisation.pk == case.organisation_id:
        return consents.filter(scope=ConsentScope.SERVICES).first()
    return None


def referral_shares_data(referral: Referral) -> bool:
    """True while the consent the referral relied on is in force (or it was a recorded override)."""
    if referral.consent_id is None:
        return bool(referral.override_reason)
    return referral.consent is not None and referral.consent.withdrawn_at is None


def transfers_offered(actor: Actor) -> QuerySet[Transfer]:
    """Transfers offered to the actor's organisation and still awaiting its answer."""
    return Transfer.objects.filter(
        to_organisation=actor.organisation, status=TransferStatus.PENDING
    ).select_related("case", "from_organisation")


def person_details(case: Case) -> PersonDetails:
    """What is recorded about the case's child, as the details registration and edits take."""
    person = case.person
    contact, guardian = person.contact or {}, person.guardian or {}
    return PersonDetails(
        first_name=person.first_name,
        middle_name=person.middle_name,
        second_name=person.second_name,
        aliases=list(person.aliases or []),
        birth_date=date.fromisoformat(person.birth_date) if person.birth_date else None,
        estimated_age=person.estimated_age,
        gender=person.gender,
        citizenships=list(person.citizenships or []),
        primary_language=person.primary_language,
        secondary_language=person.secondary_language,
        country=person.country,
        subdivision=person.subdivision,
        identity_number=person.identity_number,
        **{name: contact.get(name, "") for name in ("phone", "email", "street", "city", "postal_code")},
        **{f"guardian_{name}": guardian.get(name, "") for name in ("name", "relationship", "phone")},
    )
