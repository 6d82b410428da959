"""Reads: the shared view of an item at a level, the workspace of a task force, notices.

The shared view is built from the source record each time it is read, so a correction at the
source shows at once and nothing is copied. What each level shows:

- **summary**: counts and a country, never a reference that could be looked up elsewhere;
- **de-identified**: the facts of the record without names, contacts, exact dates of birth or
  free text (an age band instead of an age, the month instead of the day);
- **full**: the de-identified facts plus names, date of birth and the free text — never the
  reporter's contact details or a child's contact details, which stay with their organisation.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count, Max, Min, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from safeguard.accounts.access import Actor
from safeguard.collaboration import access
from safeguard.collaboration.models import (
    ActionStatus,
    CrossBorderRequest,
    ItemType,
    MatchNotice,
    Notification,
    RecordType,
    Share,
    ShareLevel,
    TaskForce,
    TaskForceMember,
)
from safeguard.core.geography import country_name, subdivision_name


@dataclass(frozen=True)
class SharedView:
    title: str
    level: str
    facts: list[tuple[str, str]] = field(default_factory=list)
    text: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "level": self.level,
            "facts": [list(f) for f in self.facts],
            "text": self.text,
        }


def age_band(age: int | None) -> str:
    if age is None:
        return _("unknown")
    for low, high in ((0, 5), (6, 11), (12, 14), (15, 17)):
        if low <= age <= high:
            return f"{low}–{high}"
    return "18+"


def _month(day: Any) -> str:
    return date_format(day, "YEAR_MONTH_FORMAT") if day else "—"


def _place(country: str, subdivision: str = "") -> str:
    if subdivision:
        return (
            f"{subdivision_name(subdivision)}, {country_name(country)}"
            if country
            else subdivision_name(subdivision)
        )
    return country_name(country) if country else "—"


def _labels(values: list[str], choices: Any) -> str:
    known = dict(choices)
    return ", ".join(str(known.get(value, value)) for value in values) or "—"


def _report_view(report: Any, level: str) -> SharedView:
    from safeguard.intake.choices import ExploitationType, Indicator

    if level == ShareLevel.SUMMARY:
        return SharedView(
            title=_("A report"),
            level=level,
            facts=[
                (_("Country"), country_name(report.country) if report.country else "—"),
                (_("Children"), str(report.children_count)),
                (_("Signs observed"), str(len(report.indicators or []))),
                (_("Identifiers"), str(report.identifiers.count())),
            ],
        )
    facts = [
        (_("Reference"), report.reference),
        (_("Received"), _month(report.created_at)),
        (_("Place"), _place(report.country, report.subdivision)),
        (_("Children"), str(report.children_count)),
        (_("Youngest child"), age_band(report.youngest_age) if report.youngest_age is not None else "—"),
        (_("Signs observed"), _labels(report.indicators or [], Indicator.choices)),
        (_("Kinds of exploitation"), _labels(report.exploitation_types or [], ExploitationType.choices)),
        (_("Status"), str(report.get_status_display())),
        (
            _("Identifiers"),
            ", ".join(sorted(str(row.get_kind_display()) for row in report.identifiers.all())) or "—",
        ),
    ]
    if level != ShareLevel.FULL:
        return SharedView(title=report.reference, level=level, facts=facts)
    facts[1] = (_("Received"), date_format(report.created_at, "SHORT_DATE_FORMAT"))
    facts.append((_("Town or place"), report.place or "—"))
    facts.append((_("Identifier values"), ", ".join(row.value for row in report.identifiers.all()) or "—"))
    for number, suspect in enumerate(report.suspects or [], start=1):
        if isinstance(suspect, dict):
            names = suspect.get("names") or ""
            names = ", ".join(names) if isinstance(names, list) else str(names)
            facts.append(
                (
                    _("Suspect %(n)d") % {"n": number},
                    " — ".join(p for p in (names, suspect.get("description") or "") if p),
                )
            )
    return SharedView(title=report.reference, level=level, facts=facts, text=report.narrative or "")


def _case_view(case: Any, level: str) -> SharedView:
    from safeguard.cases.choices import ExploitationType

    person = case.person
    if level == ShareLevel.SUMMARY:
        return SharedView(
            title=_("A case"),
            level=level,
            facts=[
                (_("Country"), country_name(person.country) if person.country else "—"),
                (_("Kinds of exploitation"), str(len(case.exploitation_types or []))),
                (_("Referrals"), str(case.referrals.count())),
                (_("Follow-ups"), str(case.follow_ups.count())),
            ],
        )
    facts = [
        (_("Reference"), case.reference),
        (_("Registered"), _month(case.registered_at)),
        (_("Status"), str(case.get_status_display())),
        (_("Stage"), str(case.get_stage_display())),
        (_("Risk"), str(case.get_risk_level_display())),
        (
            _("Age"),
            age_band(
                person.age_on(timezone.localdate())
                if (person.birth_date or person.birth_year)
                else person.estimated_age
            ),
        ),
        (_("Gender"), str(person.get_gender_display())),
        (_("Citizenship"), ", ".join(country_name(code) for code in person.citizenships or []) or "—"),
        (_("Place"), _place(person.country, person.subdivision)),
        (_("Kinds of exploitation"), _labels(case.exploitation_types or [], ExploitationType.choices)),
    ]
    if level != ShareLevel.FULL:
        return SharedView(title=case.reference, level=level, facts=facts)
    facts.insert(1, (_("Name"), person.full_name or "—"))
    facts.insert(2, (_("Also known as"), ", ".join(person.aliases or []) or "—"))
    facts.insert(3, (_("Date of birth"), person.birth_date or "—"))
    return SharedView(title=case.reference, level=level, facts=facts)


def _escalation_view(escalation: Any, level: str) -> SharedView:
    from safeguard.intake.choices import Indicator

    report = escalation.report
    if level == ShareLevel.SUMMARY:
        return SharedView(
            title=_("An escalation"),
            level=level,
            facts=[
                (_("Country"), country_name(report.country) if report.country else "—"),
                (_("Children"), str(report.children_count)),
                (_("Outcome"), str(escalation.get_outcome_display())),
            ],
        )
    facts = [
        (_("Report"), report.reference),
        (_("Escalated"), _month(escalation.created_at)),
        (_("From"), str(escalation.from_organisation)),
        (_("To"), str(escalation.organisation)),
        (_("Place"), _place(report.country, report.subdivision)),
        (_("Signs observed"), _labels(report.indicators or [], Indicator.choices)),
        (_("Outcome"), str(escalation.get_outcome_display())),
    ]
    if level != ShareLevel.FULL:
        return SharedView(title=f"{report.reference}/E{escalation.pk}", level=level, facts=facts)
    facts.append((_("Outcome note"), escalation.outcome_note or "—"))
    return SharedView(
        title=f"{report.reference}/E{escalation.pk}", level=level, facts=facts, text=escalation.summary
    )


def _network_view(network: Any, level: str, organisation_id: int) -> SharedView:
    """What a share of a network tells: only the sharing organisation's records in it count,
    dates and identifiers included (the stored network figures span every organisation)."""
    from safeguard.analytics.models import LINKING_KINDS, Mention, NetworkMembership

    own = NetworkMembership.objects.filter(network=network, organisation_id=organisation_id)
    counts = dict(own.values_list("record_type").annotate(n=Count("id")).order_by())
    facts = [
        (_("Reports"), str(counts.get("report", 0))),
        (_("Cases"), str(counts.get("case", 0))),
        (_("Online ads"), str(counts.get("ad", 0))),
    ]
    if level != ShareLevel.SUMMARY:
        dates = own.aggregate(first=Min("occurred_at"), last=Max("occurred_at"))
        facts.append((_("First seen"), _month(dates["first"])))
        facts.append((_("Last seen"), _month(dates["last"])))
    if level == ShareLevel.FULL:
        kinds = Counter(
            kind
            for _entity_id, kind in Mention.objects.filter(
                organisation_id=organisation_id,
                entity__network=network,
                entity__is_stop=False,
                entity__kind__in=list(LINKING_KINDS),
            )
            .values_list("entity_id", "entity__kind")
            .distinct()
        )
        facts.append(
            (_("Shared identifiers"), ", ".join(f"{kind} × {n}" for kind, n in sorted(kinds.items())) or "—")
        )
    return SharedView(title=_("Network %(id)s") % {"id": network.pk}, level=level, facts=facts)


def _cluster_view(cluster: Any, level: str) -> SharedView:
    facts = [(_("Ads"), str(cluster.size)), (_("Sites"), str(len(cluster.sites or [])))]
    if level == ShareLevel.SUMMARY:
        return SharedView(title=_("An ad cluster"), level=level, facts=facts)
    facts.append((_("First posted"), _month(cluster.first_posted)))
    facts.append((_("Last posted"), _month(cluster.last_posted)))
    if level == ShareLevel.FULL:
        facts.append((_("Sites"), ", ".join(cluster.sites or []) or "—"))
        return SharedView(title=f"C{cluster.pk}", level=level, facts=facts, text=cluster.template_text)
    return SharedView(title=f"C{cluster.pk}", level=level, facts=facts)


def _run_view(run: Any, level: str) -> SharedView:
    facts = [
        (_("Status"), str(run.get_status_display())),
        (_("Reference year"), str(run.reference_year or "—")),
    ]
    if level == ShareLevel.SUMMARY:
        return SharedView(title=_("A vulnerability index"), level=level, facts=facts)
    facts.append((_("Index"), str(run.configuration.name)))
    facts.append((_("Indicators"), ", ".join(sorted((run.weights or {}).keys())) or "—"))
    return SharedView(title=f"R{run.pk}", level=level, facts=facts)


def item_of(share: Share) -> Any:
    """The source record of a share, read for the system (not for a user)."""
    if share.item_type == ItemType.REPORT:
        from safeguard.intake.models import Report

        return Report.objects.filter(pk=share.item_id).first()
    if share.item_type == ItemType.ESCALATION:
        from safeguard.intake.models import Escalation

        return (
            Escalation.objects.select_related("report", "organisation", "from_organisation")
            .filter(pk=share.item_id)
            .first()
        )
    if share.item_type == ItemType.CASE:
        from safeguard.cases.models import Case

        return Case.objects.select_related("person").filter(pk=share.item_id).first()
    if share.item_type == ItemType.NETWORK:
        from safeguard.analytics.models import Network

        return Network.objects.filter(pk=share.item_id).first()
    if share.item_type == ItemType.AD_CLUSTER:
        from safeguard.analytics.models import AdCluster

        return AdCluster.objects.filter(pk=share.item_id).first()
    from safeguard.risk.models import IndexRun

    return IndexRun.objects.select_related("configuration").filter(pk=share.item_id).first()


def shared_view(share: Share, level: str) -> SharedView | None:
    """The item of ``share`` as shown at ``level``; None when the source record is gone."""
    item = item_of(share)
    if item is None:
        return None
    if share.item_type == ItemType.REPORT:
        return _report_view(item, level)
    if share.item_type == ItemType.ESCALATION:
        return _escalation_view(item, level)
    if share.item_type == ItemType.CASE:
        return _case_view(item, level)
    if share.item_type == ItemType.NETWORK:
        return _network_view(item, level, share.organisation_id)
    if share.item_type == ItemType.AD_CLUSTER:
        return _cluster_view(item, level)
    return _run_view(item, level)


# ---------------------------------------------------------------------------------------------
# The workspace


@dataclass
class Workspace:
    task_force: TaskForce
    seat: access.Seat | None
    members: list[dict[str, Any]]
    shares: list[access.VisibleShare]
    shares_page: Any  # the Paginator page the shares are on (``page.paginator.count`` in all)
    actions: list[Any]
    decisions: list[Any]
    operations: list[Any]
    requests: list[CrossBorderRequest]
    events: list[dict[str, Any]]  # {"event": TaskForceEvent, "subject": organisation name or ""}
    notifications: list[Notification]


def workspace(actor: Actor, task_force: TaskForce, *, limit: int = 50, shares_page: Any = 1) -> Workspace:
    """The workspace page; shares come ``limit`` to a page (a task force may hold thousands)."""
    visible, seat = access.visible_shares(actor, task_force)
    # ``limit=0``: the members page, which lists no shares.
    page = Paginator(visible if limit else visible.none(), max(limit, 1)).get_page(shares_page)
    members = []
    for member in (
        TaskForceMember.objects.current().filter(task_force=task_force).select_related("organisation")
    ):
        agreement = access.agreement_in_force(member)
        members.append(
            {
                "member": member,
                "agreement": agreement,
                "pending": member.agreements.filter(accepted_at__isnull=True).first(),
                "participants": member.participants.current().count(),
            }
        )
    participant = seat is not None and seat.participant
    return Workspace(
        task_force=task_force,
        seat=seat,
        members=members,
        shares=access.as_visible(page.object_list, seat) if participant else [],
        shares_page=page,
        actions=list(task_force.actions.select_related("assignee")) if participant else [],
        decisions=list(task_force.decisions.select_related("organisation")[:limit]) if participant else [],
        operations=list(task_force.operations.prefetch_related("participants")) if participant else [],
        requests=list(access.requests_visible_to(actor).filter(task_force=task_force)) if participant else [],
        events=_timeline(task_force, limit),
        notifications=list(notifications_for(actor).filter(task_force=task_force)[:10]),
    )


def _timeline(task_force: TaskForce, limit: int) -> list[dict[str, Any]]:
    """Timeline rows with the organisation each one is about (the member added, the assignee, …)."""
    from safeguard.accounts.models import Organisation

    events = list(task_force.events.select_related("organisation")[:limit])
    subject_ids = {
        event.detail.get(key)
        for event in events
        for key in ("member_organisation", "assignee", "to")
        if isinstance(event.detail.get(key), int)
    }
    names = dict(Organisation.objects.filter(pk__in=subject_ids).values_list("pk", "name"))
    rows = []
    for event in events:
        subject = next(
            (
                names[event.detail[key]]
                for key in ("member_organisation", "assignee", "to")
                if event.detail.get(key) in names
            ),
            "",
        )
        rows.append({"event": event, "subject": subject})
    return rows


def open_actions_of(actor: Actor) -> list[Any]:
    """Open actions assigned to the actor's organisation in task forces the actor takes part in."""
    from safeguard.collaboration.models import TaskForceAction

    return list(
        TaskForceAction.objects.filter(
            task_force__in=access.taskforces_visible_to(actor),
            assignee=actor.organisation,
            status__in=[ActionStatus.OPEN, ActionStatus.IN_PROGRESS],
        ).select_related("task_force")
    )


# ---------------------------------------------------------------------------------------------
# Notifications and notices


def notifications_for(actor: Actor) -> Any:
    if actor.organisation is None:
        return Notification.objects.none()
    allowed = [
        action
        for action in {
            n.action for n in Notification.objects.filter(organisation=actor.organisation).only("action")
        }
        if actor.can(action)
    ]
    return Notification.objects.filter(organisation=actor.organisation, action__in=allowed)


def _kinds_phrase(kinds: list[str]) -> str:
    from safeguard.analytics.models import EntityKind

    labels = {**dict(EntityKind.choices), "document": _("Document number")}
    return ", ".join(str(labels.get(kind, kind)).lower() for kind in kinds)


def _counts_phrase(counts: dict[str, int]) -> str:
    parts = []
    cases, reports, ads = (
        int(counts.get(kind, 0)) for kind in (RecordType.CASE, RecordType.REPORT, RecordType.AD)
    )
    if cases:
        parts.append(ngettext("%(n)d case", "%(n)d cases", cases) % {"n": cases})
    if reports:
        parts.append(ngettext("%(n)d report", "%(n)d reports", reports) % {"n": reports})
    if ads:
        parts.append(ngettext("%(n)d online ad", "%(n)d online ads", ads) % {"n": ads})
    return ", ".join(parts)


def notice_text(notice: MatchNotice) -> str:
    """ "A phone number in this report also appears in records of Harbour Light (1 case, 2 reports)."

    Rendered in the reader's language each time (tasks run outside a request).
    """
    own = notice.own_records
    if notice.is_trigger_side and own:
        where = {
            RecordType.REPORT: _("this report"),
            RecordType.CASE: _("this case"),
            RecordType.AD: _("this online ad"),
        }[RecordType(own[0]["type"])]
    else:
        where = ngettext("%(n)d of your records", "%(n)d of your records", len(own)) % {"n": len(own)}
    return _("A %(kinds)s in %(where)s also appears in records of %(other)s (%(counts)s).") % {
        "kinds": _kinds_phrase(notice.kinds),
        "where": where,
        "other": notice.other_organisation.name if notice.other_organisation else notice.other_installation,
        "counts": _counts_phrase(notice.other_counts),
    }


def notices_open_count(actor: Actor) -> int:
    from safeguard.collaboration.models import NoticeStatus

    return access.notices_for(actor).filter(status__in=[NoticeStatus.OPEN, NoticeStatus.REQUESTED]).count()


def opted_in(organisation_id: int) -> bool:
    from safeguard.collaboration.models import CollaborationSettings

    return CollaborationSettings.objects.filter(organisation_id=organisation_id, match_notices=True).exists()


def overdue_requests(actor: Actor) -> list[CrossBorderRequest]:
    today = timezone.localdate()
    return [
        request
        for request in access.requests_visible_to(actor)
        .filter(deadline__lt=today)
        .filter(Q(status="sent") | Q(status="acknowledged"))
    ]
