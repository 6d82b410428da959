"""Demo: a fictional cross-border task force and a live match notice.

"Operation Northern Lights (demo)", led by the Bluefield police unit, with the Northwind hotline,
the Harbour Light NGO and the Corvia border police (a second country). Each member's agreement
is accepted by its admin; items are shared, a request is open, an operation is planned, and a
new Northwind report shares a phone number with a Harbour Light ad, so both get a match notice.
Idempotent: a second run changes nothing and prints the same guide.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguard.accounts import services as accounts_services
from safeguard.accounts.access import Actor, roles_in
from safeguard.accounts.models import Organisation, User
from safeguard.accounts.roles import OrganisationKind, Role
from safeguard.cases.services.registration import PersonDetails, case_register
from safeguard.collaboration import services
from safeguard.collaboration.models import (
    ItemType,
    MatchNotice,
    MemberRole,
    Purpose,
    RequestKind,
    ShareLevel,
    SharingAgreement,
    TaskForce,
    TaskForceMember,
)
from safeguard.intake.models import Report, ReportRoute
from safeguard.intake.services.handover import handover_accept, handover_decline
from safeguard.intake.services.routing import report_route
from safeguard.portal.demo import DEMO_PASSWORD, DemoWorld, totp_secret_for

NAME = "Operation Northern Lights (demo)"
CORVIA = ("corvia-border-police", "Corvia Border Police Unit (demo)")
EXTRA_PEOPLE = [
    ("admin@bluefield.example", "Bo Admin", "bluefield-police", Role.ORG_ADMIN),
    ("liaison@corvia.example", "Cor Liaison", CORVIA[0], Role.LIAISON),
    ("admin@corvia.example", "Cyd Admin", CORVIA[0], Role.ORG_ADMIN),
]


def actor_of(user: User, organisation: Organisation) -> Actor:
    return Actor(user=user, organisation=organisation, roles=roles_in(user, organisation))


def _organisations(world: DemoWorld) -> None:
    slug, name = CORVIA
    corvia = Organisation.objects.filter(slug=slug).first()
    if corvia is None:
        corvia = accounts_services.organisation_create(
            name=name, slug=slug, kind=OrganisationKind.LAW_ENFORCEMENT, country="FR"
        )
    world.organisations[slug] = corvia
    for email, person, org_slug, role in EXTRA_PEOPLE:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = accounts_services.user_create(
                email=email,
                name=person,
                organisation=world.organisation(org_slug),
                roles=[role.value],
                password=DEMO_PASSWORD,
                actor=None,
            )
        TOTPDevice.objects.get_or_create(
            user=user,
            confirmed=True,
            defaults={"name": "Demo authenticator", "key": totp_secret_for(world.seed, email).hex()},
        )
        world.users[email] = user


def _terms(kinds: list[str], level: str) -> services.AgreementTerms:
    today = timezone.localdate()
    return services.AgreementTerms(
        legal_basis="Northern Lights memorandum of understanding, art. 4 (fictional)",
        purposes=[Purpose.INVESTIGATION, Purpose.PROTECTION],
        record_kinds=kinds,
        max_level=level,
        retention_days=365,
        starts_on=today - timedelta(days=7),
        ends_on=today + timedelta(days=358),
    )


def _task_force(world: DemoWorld) -> TaskForce:
    existing = TaskForce.objects.filter(name=NAME).first()
    if existing is not None:
        return existing
    bluefield, northwind, harbour, corvia = (
        world.organisation(slug)
        for slug in ("bluefield-police", "northwind-helpline", "harbour-light", CORVIA[0])
    )
    lee = actor_of(world.user("liaison@bluefield.example"), bluefield)
    task_force = services.task_force_create(
        actor=lee,
        name=NAME,
        purpose="Recruitment of teenagers through fake modelling ads across the Bluefield–Corvia border (fictional).",
        jurisdictions=["GB", "FR"],
        terms=_terms([str(kind) for kind in ItemType.values], ShareLevel.FULL),
    )
    all_kinds: list[str] = [
        ItemType.REPORT,
        ItemType.CASE,
        ItemType.ESCALATION,
        ItemType.NETWORK,
        ItemType.AD_CLUSTER,
    ]
    for organisation in (northwind, harbour, corvia):
        services.member_add(
            actor=lee,
            task_force=task_force,
            organisation=organisation,
            role=MemberRole.MEMBER,
            terms=_terms(all_kinds, ShareLevel.DEIDENTIFIED),
        )
    admins = {
        bluefield: ("admin@bluefield.example", []),
        northwind: ("admin@northwind.example", ["supervisor@northwind.example"]),
        harbour: ("admin@harbour.example", ["supervisor@harbour.example", "analyst@harbour.example"]),
        corvia: ("admin@corvia.example", ["liaison@corvia.example"]),
    }
    for organisation, (admin_email, people) in admins.items():
        admin = actor_of(world.user(admin_email), organisation)
        member = TaskForceMember.objects.get(task_force=task_force, organisation=organisation)
        for agreement in SharingAgreement.objects.filter(member=member, accepted_at__isnull=True):
            services.agreement_accept(actor=admin, agreement=agreement)
        for email in people:
            services.participant_add(actor=admin, member=member, user=world.user(email))

    expires = timezone.localdate() + timedelta(days=90)
    sabine = actor_of(world.user("supervisor@northwind.example"), northwind)
    from safeguard.intake.models import Report

    report = Report.objects.filter(organisation=northwind).order_by("pk").first()
    if report is not None:
        services.share_create(
            actor=sabine, task_force=task_force, item_type=ItemType.REPORT, item_id=report.pk,
            purpose=Purpose.INVESTIGATION, expires_on=expires,
        )  # fmt: skip
    sam = actor_of(world.user("supervisor@harbour.example"), harbour)
    from safeguard.cases.models import Case

    case = Case.objects.filter(organisation=harbour).order_by("pk").first()
    if case is not None:
        services.share_create(
            actor=sam, task_force=task_force, item_type=ItemType.CASE, item_id=case.pk,
            purpose=Purpose.PROTECTION, expires_on=expires,
        )  # fmt: skip
    from safeguard.analytics.models import AdCluster

    cluster = AdCluster.objects.filter(organisation=harbour).order_by("-size", "pk").first()
    if cluster is not None:
        services.share_create(
            actor=actor_of(world.user("analyst@harbour.example"), harbour), task_force=task_force,
            item_type=ItemType.AD_CLUSTER, item_id=cluster.pk, purpose=Purpose.INVESTIGATION,
            level=ShareLevel.DEIDENTIFIED, expires_on=expires,
        )  # fmt: skip
    today = timezone.localdate()
    services.action_assign(
        actor=lee,
        task_force=task_force,
        title="Map the sites the ad cluster posts on",
        assignee=harbour,
        due_on=today + timedelta(days=10),
    )
    services.decision_record(
        actor=lee,
        task_force=task_force,
        text="Ad clusters are shared weekly, de-identified.",
        decided_on=today,
    )
    services.operation_plan(
        actor=lee, task_force=task_force, name="Coach-station outreach (demo)", planned_on=today + timedelta(days=21),
        participants=[bluefield, harbour, corvia],
    )  # fmt: skip
    services.request_send(
        actor=lee,
        task_force=task_force,
        to_organisation=corvia,
        kind=RequestKind.INFORMATION,
        legal_basis="Council Framework Decision 2006/960/JHA (simplified exchange), art. 3 (fictional use)",
        subject="Subscriber of the phone number in the shared ad cluster, and its recent cell sites.",
        deadline=today + timedelta(days=8),
    )
    world.log.write(f"collaboration: task force “{NAME}” with 4 members")
    return task_force


def _match_notice(world: DemoWorld) -> None:
    """A new Northwind report names a phone number Harbour Light's ads also carry."""
    from safeguard.analytics.models import Mention
    from safeguard.intake import services as intake_services
    from safeguard.intake.services.submission import report_enter

    northwind, harbour = world.organisation("northwind-helpline"), world.organisation("harbour-light")
    for admin_email, organisation in (
        ("admin@northwind.example", northwind),
        ("admin@harbour.example", harbour),
    ):
        services.settings_update(actor=actor_of(world.user(admin_email), organisation), match_notices=True)
    if MatchNotice.objects.filter(organisation=northwind, other_organisation=harbour).exists():
        return
    mention = (
        Mention.objects.filter(organisation=harbour, entity__kind="phone", entity__is_stop=False)
        .select_related("entity")
        .order_by("pk")
        .first()
    )
    if mention is None or not mention.entity.value:
        world.log.write("collaboration: no Harbour Light phone number to match; no match notice")
        return
    operator = actor_of(world.user("operator@northwind.example"), northwind)
    submission = report_enter(
        data=intake_services.ReportInput(
            narrative="A caller says a girl of 15 answered a modelling ad and was told to bring her passport (fictional).",
            country="GB",
            identifiers=[("phone", mention.entity.value)],
            children_count=1,
        ),
        channel="phone",
        actor=operator,
    )
    # With a worker the report's follow-up task raises the notices; the demo does not wait for it.
    services.match_notices_for_record(record_type="report", record_id=submission.report.pk)
    stored = MatchNotice.objects.filter(trigger_type="report", trigger_id=submission.report.pk).count()
    world.log.write(f"collaboration: {stored} match notices (report {submission.report.reference})")


HANDOVERS = [
    # (demo report, what Harbour Light did with the hand-over from Northwind)
    ("SG-DEMO0002", "offered"),
    ("SG-DEMO0004", "case_opened"),
    ("SG-DEMO0005", "declined"),
]


def _handovers(world: DemoWorld) -> None:
    """Three hand-overs from the Northwind hotline to Harbour Light: one offered, one accepted with
    a case opened, one declined with a reason."""
    northwind, harbour = world.organisation("northwind-helpline"), world.organisation("harbour-light")
    if (
        ReportRoute.objects.filter(organisation=harbour, report__reference__in=[r for r, _ in HANDOVERS])
        .exclude(status="offered")
        .exists()
    ):
        return
    operator = actor_of(world.user("operator@northwind.example"), northwind)
    sam = actor_of(world.user("supervisor@harbour.example"), harbour)
    for reference, step in HANDOVERS:
        report = Report.objects.filter(reference=reference, organisation=northwind).first()
        if report is None:
            continue
        route = report.routes.filter(organisation=harbour).first() or report_route(
            report=report, organisation=harbour, actor=operator
        )
        if step == "declined":
            handover_decline(
                route=route,
                reason="Outside our area: we work on the coast only; the police unit is better placed (demo).",
                actor=sam,
            )
        elif step == "case_opened":
            handover_accept(route=route, actor=sam)
            case_register(
                actor=sam,
                person=PersonDetails(first_name="Demo", second_name="Handover Child", estimated_age=14),
                source_report=report,
            )
    world.log.write(
        "collaboration: hand-overs Northwind → Harbour Light: 1 offered, 1 case opened, 1 declined"
    )


GUIDE = [
    ("liaison@bluefield.example", "the task force workspace (lead); the open request to Corvia"),
    ("liaison@corvia.example", "the request from Bluefield to acknowledge and answer"),
    (
        "supervisor@northwind.example",
        "the workspace; a match notice for the new report (Harbour Light: online ads)",
    ),
    (
        "supervisor@harbour.example",
        "the workspace; the shared report de-identified; a match notice for its ads",
    ),
    ("analyst@harbour.example", "the workspace; the ad cluster it shared"),
    (
        "admin@harbour.example",
        "members and agreements; who of Harbour Light takes part; collaboration settings",
    ),
    ("operator@northwind.example", "nothing of the task force (not chosen to take part); its match notice"),
    (
        "operator@northwind.example",
        "hand-overs to Harbour Light: SG-DEMO0002 offered, SG-DEMO0004 case opened, SG-DEMO0005 declined",
    ),
    ("supervisor@harbour.example", "SG-DEMO0002 offered in its triage queue: accept or decline it"),
]


def seed(world: DemoWorld) -> None:
    _organisations(world)
    _task_force(world)
    _match_notice(world)
    _handovers(world)
    world.log.write("collaboration: who sees what")
    for email, what in GUIDE:
        world.log.write(f"  {email:32} {what}")
