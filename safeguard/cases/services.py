"""Every write to a case goes through these services.

Each one is keyword-only, checks the actor's permission for the action, validates with
``full_clean()``, runs in one transaction, and appends a typed ``CaseEvent`` plus an audit
event for the state change it makes. Views fetch objects through ``cases.access`` first.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safeguard.accounts.access import Actor
from safeguard.accounts.models import Organisation, User
from safeguard.accounts.roles import OrganisationKind
from safeguard.cases import choices
from safeguard.cases.events import case_event
from safeguard.cases.matching import name_keys
from safeguard.cases.models import (
    ASSESSMENT_DOMAINS,
    NAME_KEY_PURPOSE,
    Assessment,
    CarePlan,
    CarePlanItem,
    Case,
    CaseEventKind,
    CaseStage,
    CaseStatus,
    Consent,
    ConsentScope,
    FollowUp,
    Milestone,
    Perpetrator,
    Person,
    PersonNameKey,
    PlanStatus,
    Referral,
    ReferralStatus,
    RiskLevel,
    ServiceRecord,
    Task,
    TaskKind,
    Team,
    Transfer,
    TransferStatus,
)
from safeguard.core.audit import audit_record
from safeguard.core.fields import blind_index_for
from safeguard.directory.models import Service

ASSESSMENT_DUE_DAYS = 3
CARE_PLAN_DUE_DAYS = 7

# Multi-select victim-context fields and the HTCDS picklist each draws from.
MULTI_PICKLISTS: dict[str, type[Any]] = {
    "exploitation_types": choices.ExploitationType,
    "sex_exploitation_types": choices.SexExploitationType,
    "methods_of_control": choices.MethodOfControl,
    "recruitment_methods": choices.RecruitmentMethod,
    "recruitment_apps": choices.WebsiteOrApp,
    "exploitation_apps": choices.WebsiteOrApp,
    "vulnerabilities": choices.Vulnerability,
}
CONTEXT_FIELDS = (
    "trafficking_status",
    "status_decided_by",
    "labour_industry",
    "relationship_to_trafficker",
    "recruitment_place",
    "exploitation_place",
    "age_when_trafficked",
    *MULTI_PICKLISTS,
)


@dataclass
class PersonDetails:
    """What registration records about the child; names and contact end up encrypted."""

    first_name: str = ""
    middle_name: str = ""
    second_name: str = ""
    aliases: list[str] = field(default_factory=list)
    birth_date: date | None = None
    estimated_age: int | None = None
    gender: str = choices.Gender.NON_SPECIFIED_UNKNOWN
    citizenships: list[str] = field(default_factory=list)
    primary_language: str = ""
    secondary_language: str = ""
    country: str = ""
    subdivision: str = ""
    identity_number: str = ""
    phone: str = ""
    email: str = ""
    street: str = ""
    city: str = ""
    postal_code: str = ""
    guardian_name: str = ""
    guardian_relationship: str = ""
    guardian_phone: str = ""


@dataclass
class PlanItemInput:
    need: str
    action: str
    due_on: date
    responsible: User | None = None


def _today() -> date:
    return timezone.localdate()


def _new_reference() -> str:
    # Random, not sequential, so that a reference says nothing about how many cases exist.
    return f"C-{_today():%Y}-{secrets.token_hex(4).upper()}"


def person_name_keys(person: Person) -> set[str]:
    names = [person.full_name, *(person.aliases or [])]
    return {blind_index_for(code, purpose=NAME_KEY_PURPOSE) for code in name_keys(names)}


def _person_from(details: PersonDetails) -> Person:
    birth_year = details.birth_date.year if details.birth_date else None
    estimated = False
    if birth_year is None and details.estimated_age is not None:
        birth_year, estimated = _today().year - details.estimated_age, True
    contact = {
        key: value
        for key, value in (
            ("phone", details.phone),
            ("email", details.email),
            ("street", details.street),
            ("city", details.city),
            ("postal_code", details.postal_code),
        )
        if value
    }
    guardian = {
        key: value
        for key, value in (
            ("name", details.guardian_name),
            ("relationship", details.guardian_relationship),
            ("phone", details.guardian_phone),
        )
        if value
    }
    return Person(
        first_name=details.first_name.strip(),
        middle_name=details.middle_name.strip(),
        second_name=details.second_name.strip(),
        aliases=[alias.strip() for alias in details.aliases if alias.strip()],
        birth_date=details.birth_date.isoformat() if details.birth_date else "",
        birth_year=birth_year,
        birth_year_estimated=estimated,
        estimated_age=details.estimated_age,
        gender=details.gender or choices.Gender.NON_SPECIFIED_UNKNOWN,
        citizenships=sorted({code.upper() for code in details.citizenships if code}),
        primary_language=details.primary_language.lower(),
        secondary_language=details.secondary_language.lower(),
        country=details.country.upper(),
        subdivision=details.subdivision.upper(),
        identity_number=details.identity_number.strip(),
        identity_index=blind_index_for(details.identity_number, purpose="identity-number"),
        contact=contact,
        phone_index=blind_index_for(details.phone, purpose="phone"),
        guardian=guardian,
    )


def _validate_context(values: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    for name, picklist in MULTI_PICKLISTS.items():
        chosen = values.get(name) or []
        unknown = [value for value in chosen if value not in picklist.values]
        if unknown:
            errors[name] = _("Not an HTCDS value: %(values)s") % {"values": ", ".join(unknown)}
        values[name] = list(dict.fromkeys(chosen))
    if errors:
        raise ValidationError(errors)
    return values


def _task(
    *, case: Case, kind: str, title: str, assignee: User, due_on: date, source_id: int | None = None
) -> Task:
    task = Task(
        case=case,
        organisation_id=case.organisation_id,
        kind=kind,
        title=title,
        assignee=assignee,
        due_on=due_on,
        source_id=source_id,
    )
    task.full_clean()
    task.save()
    return task


def _finish_tasks(case: Case, kind: str, source_id: int | None = None) -> None:
    tasks = Task.objects.pending().filter(case=case, kind=kind)
    if source_id is not None:
        tasks = tasks.filter(source_id=source_id)
    tasks.update(done_at=timezone.now())


def _require_open(case: Case) -> None:
    if not case.is_open:
        raise ValidationError(_("This case is not open."))


@transaction.atomic
def case_register(
    *,
    actor: Actor,
    person: PersonDetails,
    risk_level: str = RiskLevel.MEDIUM,
    team: Team | None = None,
    owner: User | None = None,
    source_report: Any = None,
    context: dict[str, Any] | None = None,
    registered_at: Any = None,
) -> Case:
    """Open a case for a child in the actor's organisation, owned by the actor unless ``owner``.

    Guarantees: the person's name keys for the duplicate check exist, the first task (initial
    assessment) is assigned, and the registration is on the timeline and in the audit log.
    """
    actor.require("case.edit")
    assert actor.organisation is not None
    if not (person.first_name or person.second_name or person.aliases):
        raise ValidationError({"first_name": _("Give at least a name or an alias.")})
    if team is None:
        team = Team.objects.filter(organisation=actor.organisation, members=actor.user).first()
    elif team.organisation_id != actor.organisation.pk:
        raise PermissionDenied("team of another organisation")
    record = _person_from(person)
    record.full_clean()
    record.save()
    PersonNameKey.objects.bulk_create(
        PersonNameKey(person=record, key=key) for key in person_name_keys(record)
    )
    case = Case(
        reference=_new_reference(),
        organisation=actor.organisation,
        team=team,
        owner=owner or actor.user,
        person=record,
        risk_level=risk_level,
        source_report=source_report,
        registered_at=registered_at or timezone.now(),
        **_validate_context(dict(context or {})),
    )
    case.full_clean()
    case.save()
    _task(
        case=case,
        kind=TaskKind.ASSESSMENT,
        title=_("Initial assessment of %(reference)s") % {"reference": case.reference},
        assignee=case.owner,
        due_on=_today() + timedelta(days=ASSESSMENT_DUE_DAYS),
    )
    case_event(
        case=case,
        kind=CaseEventKind.REGISTERED,
        actor=actor,
        detail={"source_report_id": source_report.pk} if source_report is not None else {},
    )
    return case


@transaction.atomic
def case_update_context(*, actor: Actor, case: Case, risk_level: str | None = None, **values: Any) -> Case:
    """Change the victim context (HTCDS ``vic_``) and risk level; the event lists changed fields."""
    actor.require("case.edit")
    values = _validate_context({name: values[name] for name in CONTEXT_FIELDS if name in values})
    if risk_level is not None:
        values["risk_level"] = risk_level
    changed = [name for name, value in values.items() if getattr(case, name) != value]
    for name in changed:
        setattr(case, name, values[name])
    case.full_clean()
    case.save(update_fields=[*changed, "updated_at"])
    if changed:
        case_event(case=case, kind=CaseEventKind.UPDATED, actor=actor, detail={"fields": sorted(changed)})
    return case


@transaction.atomic
def perpetrator_add(
    *,
    actor: Actor,
    case: Case,
    name: str,
    identifiers: list[str],
    roles: list[str],
    role_details: str = "",
    gender: str = "",
    citizenships: list[str] | None = None,
) -> Perpetrator:
    actor.require("case.edit")
    unknown = [role for role in roles if role not in choices.PerpetratorRole.values]
    if unknown:
        raise ValidationError({"roles": _("Not an HTCDS value: %(values)s") % {"values": ", ".join(unknown)}})
    perpetrator = Perpetrator(
        case=case,
        name=name.strip(),
        identifiers=[i.strip() for i in identifiers if i.strip()],
        roles=list(dict.fromkeys(roles)),
        role_details=role_details.strip(),
        gender=gender,
        citizenships=sorted({code.upper() for code in citizenships or [] if code}),
    )
    perpetrator.full_clean()
    perpetrator.save()
    case_event(
        case=case,
        kind=CaseEventKind.PERPETRATOR_ADDED,
        actor=actor,
        detail={"perpetrator_id": perpetrator.pk},
    )
    return perpetrator


# Person fields the edit page may change; the identity number is kept as registered.
PERSON_EDIT_FIELDS = (
    "first_name",
    "middle_name",
    "second_name",
    "aliases",
    "birth_date",
    "birth_year",
    "birth_year_estimated",
    "estimated_age",
    "gender",
    "citizenships",
    "primary_language",
    "secondary_language",
    "country",
    "subdivision",
    "contact",
    "phone_index",
    "guardian",
)
NAME_FIELDS = ("first_name", "middle_name", "second_name", "aliases")


@transaction.atomic
def person_update(*, actor: Actor, case: Case, person: PersonDetails) -> Person:
    """Correct what registration recorded about the child (not the identity number).

    The event and audit log name the changed fields, never their values; the duplicate-check
    name keys are rebuilt when a name or alias changes.
    """
    actor.require("case.edit")
    if not (
        person.first_name.strip() or person.second_name.strip() or any(a.strip() for a in person.aliases)
    ):
        raise ValidationError({"first_name": _("Give at least a name or an alias.")})
    record = case.person
    fresh = _person_from(person)
    if (
        person.birth_date is None
        and person.estimated_age is not None
        and person.estimated_age == record.estimated_age
        and record.birth_year_estimated
    ):
        # The same estimate as before: keep the birth year it gave then.
        fresh.birth_year = record.birth_year
    changed = [name for name in PERSON_EDIT_FIELDS if getattr(record, name) != getattr(fresh, name)]
    for name in changed:
        setattr(record, name, getattr(fresh, name))
    record.full_clean()
    if not changed:
        return record
    record.save(update_fields=changed)
    if any(name in NAME_FIELDS for name in changed):
        PersonNameKey.objects.filter(person=record).delete()
        PersonNameKey.objects.bulk_create(
            PersonNameKey(person=record, key=key) for key in person_name_keys(record)
        )
    case.save(update_fields=["updated_at"])
    reported = sorted(name for name in changed if name not in ("phone_index", "birth_year_estimated"))
    case_event(case=case, kind=CaseEventKind.UPDATED, actor=actor, detail={"person_fields": reported})
    return record


def _risk_from(rating: int) -> str:
    return {4: RiskLevel.CRITICAL, 3: RiskLevel.HIGH, 2: RiskLevel.MEDIUM}.get(rating, RiskLevel.LOW)


@transaction.atomic
def assessment_record(
    *, actor: Actor, case: Case, ratings: dict[str, int], notes: dict[str, str]
) -> Assessment:
    """Record the initial (or a repeat) assessment; the case's risk level follows the highest rating."""
    actor.require("case.edit")
    _require_open(case)
    missing = [name for name, _label in ASSESSMENT_DOMAINS if name not in ratings]
    if missing:
        raise ValidationError({name: _("Give a rating.") for name in missing})
    assessment = Assessment(
        case=case,
        assessed_by=actor.user,
        notes={name: text for name, text in notes.items() if text},
        **{name: ratings[name] for name, _label in ASSESSMENT_DOMAINS},
    )
    assessment.full_clean()
    assessment.save()
    case.risk_level = _risk_from(assessment.highest_rating)
    fields = ["risk_level", "updated_at"]
    if case.stage == CaseStage.REGISTERED:
        case.stage = CaseStage.ASSESSED
        fields.append("stage")
        _task(
            case=case,
            kind=TaskKind.CARE_PLAN,
            title=_("Care plan for %(reference)s") % {"reference": case.reference},
            assignee=case.owner,
            due_on=_today() + timedelta(days=CARE_PLAN_DUE_DAYS),
        )
    case.save(update_fields=fields)
    _finish_tasks(case, TaskKind.ASSESSMENT)
    case_event(
        case=case,
        kind=CaseEventKind.ASSESSED,
        actor=actor,
        detail={"assessment_id": assessment.pk, "risk_level": case.risk_level},
    )
    return assessment


@transaction.atomic
def care_plan_submit(
    *,
    actor: Actor,
    case: Case,
    goals: str,
    items: list[PlanItemInput],
    support_type: str = "",
    planned_end: date | None = None,
) -> CarePlan:
    """Submit a care plan for a supervisor's approval; it needs an assessment and at least one action."""
    actor.require("case.edit")
    _require_open(case)
    if not case.assessments.exists():
        raise ValidationError(_("Record the initial assessment before the care plan."))
    if case.care_plans.filter(status=PlanStatus.SUBMITTED).exists():
        raise ValidationError(_("A care plan of this case is already awaiting approval."))
    if not items:
        raise ValidationError({"items": _("Add at least one action to the plan.")})
    plan = CarePlan(
        case=case, goals=goals, support_type=support_type, planned_end=planned_end, submitted_by=actor.user
    )
    plan.full_clean()
    plan.save()
    for item in items:
        row = CarePlanItem(
            plan=plan, need=item.need, action=item.action, due_on=item.due_on, responsible=item.responsible
        )
        row.full_clean()
        row.save()
    case.stage = CaseStage.PLAN_SUBMITTED
    case.save(update_fields=["stage", "updated_at"])
    _finish_tasks(case, TaskKind.CARE_PLAN)
    case_event(case=case, kind=CaseEventKind.PLAN_SUBMITTED, actor=actor, detail={"plan_id": plan.pk})
    return plan


@transaction.atomic
def care_plan_decide(*, actor: Actor, plan: CarePlan, approve: bool, note: str = "") -> CarePlan:
    """A supervisor other than its author approves the plan (its actions become tasks) or returns it."""
    actor.require("case.approve")
    if plan.status != PlanStatus.SUBMITTED:
        raise ValidationError(_("This care plan has already been decided."))
    if plan.submitted_by_id == actor.user.pk:
        raise ValidationError(_("A care plan needs the approval of a supervisor other than its author."))
    if not approve and not note.strip():
        raise ValidationError({"note": _("Say what needs to change.")})
    case = plan.case
    plan.status = PlanStatus.APPROVED if approve else PlanStatus.RETURNED
    plan.decided_by, plan.decided_at, plan.decision_note = actor.user, timezone.now(), note
    plan.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    if approve:
        case.stage = CaseStage.IN_SERVICES
        for item in plan.items.all():
            _task(
                case=case,
                kind=TaskKind.PLAN_ITEM,
                title=f"{item.get_need_display()}: {item.action}"[:300],
                assignee=item.responsible or case.owner,
                due_on=item.due_on,
                source_id=item.pk,
            )
    else:
        case.stage = CaseStage.ASSESSED
        _task(
            case=case,
            kind=TaskKind.CARE_PLAN,
            title=_("Revise the care plan for %(reference)s") % {"reference": case.reference},
            assignee=case.owner,
            due_on=_today() + timedelta(days=ASSESSMENT_DUE_DAYS),
        )
    case.save(update_fields=["stage", "updated_at"])
    kind = CaseEventKind.PLAN_APPROVED if approve else CaseEventKind.PLAN_REJECTED
    case_event(case=case, kind=kind, actor=actor, detail={"plan_id": plan.pk})
    return plan


@transaction.atomic
def consent_record(
    *,
    actor: Actor,
    case: Case,
    given_by: str,
    scope: str,
    given_on: date,
    organisation: Organisation | None = None,
    notes: str = "",
) -> Consent:
    actor.require("case.edit")
    consent = Consent(
        case=case,
        given_by=given_by,
        scope=scope,
        organisation=organisation if scope == ConsentScope.SHARE_ORGANISATION else None,
        given_on=given_on,
        notes=notes,
        recorded_by=actor.user,
    )
    consent.full_clean()
    consent.save()
    case_event(
        case=case,
        kind=CaseEventKind.CONSENT_RECORDED,
        actor=actor,
        detail={"consent_id": consent.pk, "scope": scope, "organisation_id": consent.organisation_id},
    )
    return consent


@transaction.atomic
def consent_withdraw(*, actor: Actor, consent: Consent) -> Consent:
    """Withdraw consent; from now on nothing it covered is shared (providers stop seeing the summary)."""
    actor.require("case.edit")
    if consent.withdrawn_at is not None:
        raise ValidationError(_("This consent has already been withdrawn."))
    consent.withdrawn_at, consent.withdrawn_by = timezone.now(), actor.user
    consent.save(update_fields=["withdrawn_at", "withdrawn_by"])
    case_event(
        case=consent.case,
        kind=CaseEventKind.CONSENT_WITHDRAWN,
        actor=actor,
        detail={"consent_id": consent.pk},
    )
    return consent


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


def _consent_or_override(
    *, actor: Actor, case: Case, organisation: Organisation, override_reason: str
) -> Consent | None:
    consent = consent_covering(case, organisation)
    if consent is not None:
        return consent
    if not override_reason.strip():
        raise ValidationError(
            {
                "override_reason": _(
                    "No consent in force covers sharing this case with %(organisation)s. Record the "
                    "consent first, or a supervisor may override with a reason."
                )
                % {"organisation": organisation.name}
            }
        )
    if not actor.can("case.override_consent"):
        raise PermissionDenied("only a supervisor may share without consent")
    return None


@transaction.atomic
def referral_create(
    *,
    actor: Actor,
    case: Case,
    service: Service,
    summary: str,
    respond_by: date,
    share_first_name: bool = False,
    override_reason: str = "",
) -> Referral:
    """Refer the case's need to ``service``. Refused without consent covering the provider,
    unless a supervisor overrides with a reason (recorded on the referral and audited)."""
    actor.require("case.edit")
    _require_open(case)
    if not service.is_active:
        raise ValidationError({"service": _("This service is no longer offered.")})
    consent = _consent_or_override(
        actor=actor, case=case, organisation=service.provider, override_reason=override_reason
    )
    referral = Referral(
        case=case,
        service=service,
        provider=service.provider,
        need=service.kind,
        summary=summary,
        share_first_name=share_first_name,
        consent=consent,
        override_reason="" if consent else override_reason.strip(),
        respond_by=respond_by,
        created_by=actor.user,
    )
    referral.full_clean()
    referral.save()
    detail = {"referral_id": referral.pk, "provider_id": service.provider_id, "service_id": service.pk}
    if consent is None:
        case_event(case=case, kind=CaseEventKind.REFERRAL_OVERRIDE, actor=actor, detail=detail)
    else:
        case_event(
            case=case,
            kind=CaseEventKind.REFERRAL_SENT,
            actor=actor,
            detail={**detail, "consent_id": consent.pk},
        )
    _task(
        case=case,
        kind=TaskKind.REFERRAL_RESPONSE,
        title=_("Referral to %(provider)s awaits an answer") % {"provider": service.provider.name},
        assignee=case.owner,
        due_on=respond_by,
        source_id=referral.pk,
    )
    return referral


def referral_shares_data(referral: Referral) -> bool:
    """True while the consent the referral relied on is in force (or it was a recorded override)."""
    if referral.consent_id is None:
        return bool(referral.override_reason)
    return referral.consent is not None and referral.consent.withdrawn_at is None


def _require_provider(actor: Actor, referral: Referral) -> None:
    actor.require("referral.respond")
    if actor.organisation is None or referral.provider_id != actor.organisation.pk:
        raise PermissionDenied("referral of another organisation")


@transaction.atomic
def referral_respond(*, actor: Actor, referral: Referral, accept: bool, reason: str = "") -> Referral:
    """The provider accepts or declines a pending referral."""
    _require_provider(actor, referral)
    if referral.status != ReferralStatus.PENDING:
        raise ValidationError(_("This referral has already been answered."))
    if not accept and not reason.strip():
        raise ValidationError({"reason": _("Say why the referral is declined.")})
    referral.status = ReferralStatus.ACCEPTED if accept else ReferralStatus.DECLINED
    referral.responded_by, referral.responded_at, referral.decline_reason = actor.user, timezone.now(), reason
    referral.save(update_fields=["status", "responded_by", "responded_at", "decline_reason"])
    _finish_tasks(referral.case, TaskKind.REFERRAL_RESPONSE, referral.pk)
    kind = CaseEventKind.REFERRAL_ACCEPTED if accept else CaseEventKind.REFERRAL_DECLINED
    case_event(case=referral.case, kind=kind, actor=actor, detail={"referral_id": referral.pk})
    return referral


@transaction.atomic
def service_record_add(*, actor: Actor, referral: Referral, delivered_on: date, note: str) -> ServiceRecord:
    _require_provider(actor, referral)
    if referral.status != ReferralStatus.ACCEPTED:
        raise ValidationError(_("Services can be recorded only on an accepted referral."))
    record = ServiceRecord(referral=referral, delivered_on=delivered_on, note=note, recorded_by=actor.user)
    record.full_clean()
    record.save()
    case_event(
        case=referral.case,
        kind=CaseEventKind.SERVICE_DELIVERED,
        actor=actor,
        detail={"referral_id": referral.pk, "service_record_id": record.pk},
    )
    return record


@transaction.atomic
def referral_complete(*, actor: Actor, referral: Referral) -> Referral:
    _require_provider(actor, referral)
    if referral.status != ReferralStatus.ACCEPTED:
        raise ValidationError(_("Only an accepted referral can be completed."))
    referral.status, referral.completed_at = ReferralStatus.COMPLETED, timezone.now()
    referral.save(update_fields=["status", "completed_at"])
    case_event(
        case=referral.case,
        kind=CaseEventKind.REFERRAL_COMPLETED,
        actor=actor,
        detail={"referral_id": referral.pk},
    )
    return referral


@transaction.atomic
def follow_up_schedule(*, actor: Actor, case: Case, due_on: date, purpose: str) -> FollowUp:
    actor.require("case.edit")
    _require_open(case)
    follow_up = FollowUp(case=case, due_on=due_on, purpose=purpose, scheduled_by=actor.user)
    follow_up.full_clean()
    follow_up.save()
    _task(
        case=case,
        kind=TaskKind.FOLLOW_UP,
        title=purpose,
        assignee=case.owner,
        due_on=due_on,
        source_id=follow_up.pk,
    )
    if case.stage == CaseStage.IN_SERVICES:
        case.stage = CaseStage.FOLLOW_UP
        case.save(update_fields=["stage", "updated_at"])
    case_event(
        case=case,
        kind=CaseEventKind.FOLLOW_UP_SCHEDULED,
        actor=actor,
        detail={"follow_up_id": follow_up.pk, "due_on": due_on.isoformat()},
    )
    return follow_up


@transaction.atomic
def follow_up_record(*, actor: Actor, follow_up: FollowUp, done_on: date, notes: str) -> FollowUp:
    actor.require("case.edit")
    if follow_up.done_on is not None:
        raise ValidationError(_("This follow-up has already been recorded."))
    follow_up.done_on, follow_up.notes = done_on, notes
    follow_up.full_clean()
    follow_up.save(update_fields=["done_on", "notes"])
    _finish_tasks(follow_up.case, TaskKind.FOLLOW_UP, follow_up.pk)
    case_event(
        case=follow_up.case,
        kind=CaseEventKind.FOLLOW_UP_DONE,
        actor=actor,
        detail={"follow_up_id": follow_up.pk},
    )
    return follow_up


@transaction.atomic
def milestone_record(*, actor: Actor, case: Case, kind: str, reached_on: date, notes: str = "") -> Milestone:
    actor.require("case.edit")
    milestone = Milestone(case=case, kind=kind, reached_on=reached_on, notes=notes, recorded_by=actor.user)
    milestone.full_clean()
    milestone.save()
    case_event(
        case=case,
        kind=CaseEventKind.MILESTONE,
        actor=actor,
        detail={"milestone_id": milestone.pk, "milestone": kind},
    )
    return milestone


@transaction.atomic
def case_request_closure(*, actor: Actor, case: Case, reason: str) -> Case:
    actor.require("case.edit")
    if case.status != CaseStatus.OPEN:
        raise ValidationError(_("Only an open case can be put forward for closure."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for closing the case.")})
    case.status, case.closure_reason, case.closure_requested_by = (
        CaseStatus.CLOSURE_REQUESTED,
        reason,
        actor.user,
    )
    case.save(update_fields=["status", "closure_reason", "closure_requested_by", "updated_at"])
    case_event(case=case, kind=CaseEventKind.CLOSURE_REQUESTED, actor=actor)
    return case


@transaction.atomic
def case_decide_closure(*, actor: Actor, case: Case, approve: bool, note: str = "") -> Case:
    """A supervisor other than the requester closes the case (its open tasks end) or keeps it open."""
    actor.require("case.approve")
    if case.status != CaseStatus.CLOSURE_REQUESTED:
        raise ValidationError(_("No closure of this case is awaiting approval."))
    if case.closure_requested_by_id == actor.user.pk:
        raise ValidationError(_("Closure needs the approval of a supervisor other than the one who asked."))
    if approve:
        case.status, case.closed_at = CaseStatus.CLOSED, timezone.now()
        Task.objects.pending().filter(case=case).update(done_at=case.closed_at)
    else:
        case.status = CaseStatus.OPEN
    case.save(update_fields=["status", "closed_at", "updated_at"])
    kind = CaseEventKind.CLOSED if approve else CaseEventKind.CLOSURE_REJECTED
    case_event(case=case, kind=kind, actor=actor, detail={"note_given": bool(note.strip())})
    return case


@transaction.atomic
def case_reopen(*, actor: Actor, case: Case, reason: str) -> Case:
    actor.require("case.edit")
    if case.status != CaseStatus.CLOSED:
        raise ValidationError(_("Only a closed case can be reopened."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for reopening the case.")})
    case.status, case.closed_at, case.closure_requested_by = CaseStatus.OPEN, None, None
    case.save(update_fields=["status", "closed_at", "closure_requested_by", "updated_at"])
    case_event(case=case, kind=CaseEventKind.REOPENED, actor=actor)
    return case


@transaction.atomic
def transfer_request(
    *, actor: Actor, case: Case, to_organisation: Organisation, reason: str, override_reason: str = ""
) -> Transfer:
    """Offer the whole case to another organisation; needs consent naming it, or a supervisor override."""
    actor.require("case.edit")
    _require_open(case)
    if to_organisation.pk == case.organisation_id:
        raise ValidationError({"to_organisation": _("Choose another organisation.")})
    if case.transfers.filter(status=TransferStatus.PENDING).exists():
        raise ValidationError(_("A transfer of this case is already awaiting an answer."))
    consent = _consent_or_override(
        actor=actor, case=case, organisation=to_organisation, override_reason=override_reason
    )
    transfer = Transfer(
        case=case,
        from_organisation=case.organisation,
        to_organisation=to_organisation,
        reason=reason,
        consent=consent,
        override_reason="" if consent else override_reason.strip(),
        requested_by=actor.user,
    )
    transfer.full_clean()
    transfer.save()
    case_event(
        case=case,
        kind=CaseEventKind.TRANSFER_REQUESTED,
        actor=actor,
        detail={
            "transfer_id": transfer.pk,
            "to_organisation_id": to_organisation.pk,
            "override": consent is None,
        },
    )
    return transfer


@transaction.atomic
def transfer_respond(
    *, actor: Actor, transfer: Transfer, accept: bool, note: str = "", owner: User | None = None
) -> Transfer:
    """The receiving organisation accepts (the case, its history and open tasks move to it) or declines."""
    actor.require("case.approve")
    if actor.organisation is None or transfer.to_organisation_id != actor.organisation.pk:
        raise PermissionDenied("transfer to another organisation")
    if transfer.status != TransferStatus.PENDING:
        raise ValidationError(_("This transfer has already been answered."))
    transfer.status = TransferStatus.ACCEPTED if accept else TransferStatus.DECLINED
    transfer.responded_by, transfer.responded_at, transfer.response_note = actor.user, timezone.now(), note
    transfer.save(update_fields=["status", "responded_by", "responded_at", "response_note"])
    case = transfer.case
    if accept:
        new_owner = owner or actor.user
        case.organisation, case.owner, case.team = actor.organisation, new_owner, None
        case.save(update_fields=["organisation", "owner", "team", "updated_at"])
        Task.objects.pending().filter(case=case).update(assignee=new_owner)
        Task.objects.filter(case=case).update(organisation=actor.organisation)
    kind = CaseEventKind.TRANSFERRED if accept else CaseEventKind.TRANSFER_DECLINED
    case_event(
        case=case,
        kind=kind,
        actor=actor,
        detail={"transfer_id": transfer.pk, "from_organisation_id": transfer.from_organisation_id},
    )
    return transfer


@transaction.atomic
def case_merge(*, actor: Actor, primary: Case, duplicate: Case, reason: str) -> Case:
    """Merge ``duplicate`` into ``primary``: both keep their records and timelines; the duplicate
    is marked merged and points to the primary, whose timeline shows both. Never automatic."""
    actor.require("case.merge")
    if primary.pk == duplicate.pk:
        raise ValidationError(_("Choose two different cases."))
    if primary.organisation_id != duplicate.organisation_id:
        raise ValidationError(_("Only cases of the same organisation can be merged."))
    if duplicate.status == CaseStatus.MERGED or primary.status == CaseStatus.MERGED:
        raise ValidationError(_("A merged case cannot be merged again."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the merge.")})
    duplicate.status, duplicate.merged_into = CaseStatus.MERGED, primary
    duplicate.save(update_fields=["status", "merged_into", "updated_at"])
    Task.objects.pending().filter(case=duplicate).update(case=primary)
    detail = {"primary_case_id": primary.pk, "duplicate_case_id": duplicate.pk}
    case_event(case=primary, kind=CaseEventKind.MERGED, actor=actor, detail=detail)
    case_event(case=duplicate, kind=CaseEventKind.MERGED, actor=actor, detail=detail)
    return primary


@transaction.atomic
def task_complete(*, actor: Actor, task: Task) -> Task:
    actor.require("case.edit")
    if task.done_at is None:
        task.done_at = timezone.now()
        task.save(update_fields=["done_at"])
    return task


# ---- teams -------------------------------------------------------------------------------


def _members_of_organisation(organisation: Organisation, users: list[User]) -> list[User]:
    ids = {user.pk for user in users}
    found = set(
        User.objects.filter(pk__in=ids, memberships__organisation=organisation, is_active=True)
        .values_list("pk", flat=True)
        .distinct()
    )
    if found != ids:
        raise ValidationError({"members": _("Only users of your organisation can be team members.")})
    return users


@transaction.atomic
def team_create(*, actor: Actor, name: str, members: list[User] | None = None) -> Team:
    """A new team of the actor's organisation, with members of that organisation only."""
    actor.require("team.manage")
    assert actor.organisation is not None
    name = name.strip()
    if Team.objects.filter(organisation=actor.organisation, name__iexact=name).exists():
        raise ValidationError({"name": _("Your organisation already has a team with this name.")})
    chosen = _members_of_organisation(actor.organisation, list(members or []))
    team = Team(organisation=actor.organisation, name=name)
    team.full_clean()
    team.save()
    team.members.set(chosen)
    audit_record(
        action="team.created",
        actor=actor.user,
        organisation=actor.organisation,
        target=team,
        detail={"member_ids": sorted(user.pk for user in chosen)},
    )
    return team


@transaction.atomic
def team_set_members(*, actor: Actor, team: Team, members: list[User]) -> Team:
    """Replace the members of a team of the actor's organisation; the audit lists who joined and left."""
    actor.require("team.manage")
    if actor.organisation is None or team.organisation_id != actor.organisation.pk:
        raise PermissionDenied("team of another organisation")
    chosen = _members_of_organisation(actor.organisation, list(members))
    before = set(team.members.values_list("pk", flat=True))
    after = {user.pk for user in chosen}
    if before == after:
        return team
    team.members.set(chosen)
    audit_record(
        action="team.members_changed",
        actor=actor.user,
        organisation=actor.organisation,
        target=team,
        detail={"added_ids": sorted(after - before), "removed_ids": sorted(before - after)},
    )
    return team
