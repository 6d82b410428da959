"""Demo: the international instruments, one clearly fictional national profile, and legal matters.

- The instruments are real treaties: their names, adopting bodies and adoption and entry-into-
  force dates, with a few key articles summarised in our own words (never quoted). They carry
  no "last verified" date, so the registry flags them for a legal editor to check.
- The national profile is **illustrative**: "Examplia", a fictional country whose laws, ages,
  duties and authorities are invented for the demo. It is filed under ES only because the demo
  reports are placed there; every page that shows it says it is not the law of Spain or of any
  real country.
- Legal matters on the demo cases at Harbour Light, one represented by a legal-aid service of
  Safe Haven through an accepted referral.

Idempotent: a second run changes nothing.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from safeguard.accounts.access import Actor, roles_in
from safeguard.accounts.roles import OrganisationKind
from safeguard.cases.models import Case, ConsentScope, Referral, ReferralStatus
from safeguard.cases.services.referrals import referral_create, referral_respond
from safeguard.directory.models import Service, ServiceKind
from safeguard.legal.models import (
    Authority,
    AuthorityKind,
    Instrument,
    InstrumentScope,
    InstrumentStatus,
    Jurisdiction,
    Law,
    LegalMatter,
    MatterKind,
    MatterOutcome,
    MatterStage,
    MeasureKind,
    MeasureStatus,
    PartyStatus,
    Provision,
    ProvisionKind,
    ReportingDuty,
)
from safeguard.legal.services import matters
from safeguard.portal.demo import DemoWorld

UN, ILO, COE, ASEAN = "United Nations", "International Labour Organization", "Council of Europe", "ASEAN"
INTERNATIONAL, REGIONAL = InstrumentScope.INTERNATIONAL, InstrumentScope.REGIONAL

# code, short name, full name, scope, body, adopted (or opened for signature), in force, key articles
INSTRUMENTS = [
    (
        "ilo-c029", "ILO C29", "Forced Labour Convention, 1930 (No. 29)", INTERNATIONAL, ILO,
        date(1930, 6, 28), date(1932, 5, 1),
        [("2", "Defines forced or compulsory labour as work exacted under the menace of a penalty, for which the person has not offered themselves voluntarily.")],
    ),
    (
        "ilo-c138", "ILO C138", "Minimum Age Convention, 1973 (No. 138)", INTERNATIONAL, ILO,
        date(1973, 6, 26), date(1976, 6, 19),
        [
            ("2", "States set a minimum age for work, not below the end of compulsory schooling and in general not below 15."),
            ("3", "Work likely to harm health, safety or morals (hazardous work) needs a minimum age of 18."),
        ],
    ),
    (
        "crc", "CRC", "Convention on the Rights of the Child", INTERNATIONAL, UN,
        date(1989, 11, 20), date(1990, 9, 2),
        [
            ("32", "Protects children from economic exploitation and from work that is hazardous or harmful."),
            ("34", "Protects children from all forms of sexual exploitation and abuse."),
            ("35", "States take measures to prevent the abduction of, sale of or traffic in children."),
            ("39", "Child victims are helped to recover and reintegrate, in an environment of health, self-respect and dignity."),
        ],
    ),
    (
        "ilo-c182", "ILO C182", "Worst Forms of Child Labour Convention, 1999 (No. 182)", INTERNATIONAL, ILO,
        date(1999, 6, 17), date(2000, 11, 19),
        [("3", "Lists the worst forms of child labour, including slavery-like practices such as the sale and trafficking of children, and their use in commercial sexual exploitation.")],
    ),
    (
        "opsc", "OPSC", "Optional Protocol to the Convention on the Rights of the Child on the sale of children, child prostitution and child pornography",
        INTERNATIONAL, UN, date(2000, 5, 25), date(2002, 1, 18),
        [
            ("3", "States make the sale of children and their sexual exploitation criminal offences."),
            ("8", "Criminal proceedings protect the rights and interests of child victims at every stage."),
        ],
    ),
    (
        "palermo", "Palermo Protocol", "Protocol to Prevent, Suppress and Punish Trafficking in Persons, Especially Women and Children",
        INTERNATIONAL, UN, date(2000, 11, 15), date(2003, 12, 25),
        [
            ("3", "Defines trafficking in persons; for a child (under 18) recruitment or movement for exploitation is trafficking even without force, deception or other means."),
            ("6", "States provide assistance and protection to victims, including their privacy and their recovery."),
            ("7", "States consider letting victims stay in their territory, temporarily or permanently."),
        ],
    ),
    (
        "coe-cets197", "CoE Anti-Trafficking Convention", "Council of Europe Convention on Action against Trafficking in Human Beings (CETS No. 197)",
        REGIONAL, COE, date(2005, 5, 16), date(2008, 2, 1),
        [
            ("13", "A recovery and reflection period of at least 30 days for presumed victims."),
            ("14", "Renewable residence permits for victims."),
            ("26", "Victims may be spared penalties for unlawful acts they were compelled to commit."),
        ],
    ),
    (
        "coe-lanzarote", "Lanzarote Convention", "Council of Europe Convention on the Protection of Children against Sexual Exploitation and Sexual Abuse (CETS No. 201)",
        REGIONAL, COE, date(2007, 10, 25), date(2010, 7, 1),
        [
            ("12", "Confidentiality rules should not stop professionals working with children from reporting suspected abuse."),
            ("35", "Interviews with child victims take place without delay, in suitable premises, by trained professionals, as few times as possible."),
        ],
    ),
    (
        "ilo-p029", "ILO P29", "Protocol of 2014 to the Forced Labour Convention, 1930", INTERNATIONAL, ILO,
        date(2014, 6, 11), date(2016, 11, 9),
        [("4", "Victims have access to remedies such as compensation, and need not be punished for unlawful acts they were forced to commit.")],
    ),
    (
        "actip", "ACTIP", "ASEAN Convention Against Trafficking in Persons, Especially Women and Children", REGIONAL, ASEAN,
        date(2015, 11, 21), date(2017, 3, 8),
        [("14", "Protection of victims: identification, shelter, care and the chance to stay while proceedings last.")],
    ),
]  # fmt: skip
INSTRUMENT_SOURCE = "Dates as published by the depositary (UN Treaty Collection, ILO NORMLEX, Council of Europe Treaty Office, ASEAN); summaries in our own words"

ILLUSTRATIVE = "Invented for the Safeguard demo (illustrative, not real law)"
EXAMPLIA_STATUSES = [
    ("crc", PartyStatus.RATIFIED, date(1991, 1, 10)),
    ("opsc", PartyStatus.RATIFIED, date(2003, 4, 2)),
    ("palermo", PartyStatus.RATIFIED, date(2004, 6, 1)),
    ("ilo-c138", PartyStatus.RATIFIED, date(1999, 3, 3)),
    ("ilo-c182", PartyStatus.RATIFIED, date(2001, 5, 5)),
    ("ilo-c029", PartyStatus.RATIFIED, date(1960, 1, 20)),
    ("ilo-p029", PartyStatus.RATIFIED, date(2017, 9, 9)),
    ("coe-cets197", PartyStatus.RATIFIED, date(2009, 2, 2)),
    ("coe-lanzarote", PartyStatus.ACCEDED, date(2011, 11, 11)),
    ("actip", PartyStatus.NOT_PARTY, None),
]
TRAFFICKING_TYPES = [
    "ForcedLabour",
    "SexualExploitation",
    "ForcedBegging",
    "Servitude",
    "ForcedMarriage",
    "ChildLabour",
]
# law title, citation, enacted, [(article, kind, summary, min years, max years, exploitation types)]
ProvisionRow = tuple[str, str, str, Decimal | None, Decimal | None, list[str]]
EXAMPLIA_LAWS: list[tuple[str, str, date, list[ProvisionRow]]] = [
    (
        "Examplia Anti-Trafficking Act (fictional)", "Examplia Act 1/2020 (fictional)", date(2020, 2, 1),
        [
            ("2", ProvisionKind.DEFINITION, "Trafficking is recruiting, moving or holding a person for exploitation; for a child no means are needed (illustrative).", None, None, []),
            ("5", ProvisionKind.OFFENCE, "Trafficking in persons (illustrative).", Decimal(5), Decimal(12), TRAFFICKING_TYPES),
            ("6", ProvisionKind.AGGRAVATING_CHILD, "Higher penalty when the victim is a child (illustrative).", Decimal(8), Decimal(15), TRAFFICKING_TYPES),
            ("7", ProvisionKind.OFFENCE, "Sexual exploitation of a child (illustrative).", Decimal(6), Decimal(14), ["SexualExploitation"]),
            ("9", ProvisionKind.NON_PUNISHMENT, "Victims are not punished for acts they were compelled to commit (illustrative).", None, None, []),
            ("10", ProvisionKind.REFLECTION_PERIOD, "A 90-day recovery and reflection period (illustrative).", None, None, []),
            ("11", ProvisionKind.RESIDENCE_PERMIT, "A renewable one-year residence permit for victims (illustrative).", None, None, []),
            ("12", ProvisionKind.COMPENSATION, "Victims may claim compensation from the offender, or from a state fund (illustrative).", None, None, []),
            ("14", ProvisionKind.CHILD_TESTIMONY, "Children testify by video link, with a support person, never facing the accused (illustrative).", None, None, []),
            ("20", ProvisionKind.REPORTING_DUTY, "Professionals who work with children report suspected trafficking to the police within 24 hours (illustrative).", None, None, []),
        ],
    ),
    (
        "Examplia Child Labour Act (fictional)", "Examplia Act 7/2018 (fictional)", date(2018, 7, 1),
        [
            ("3", ProvisionKind.OFFENCE, "Employing a child under the minimum working age (illustrative).", Decimal(1), Decimal(4), ["ChildLabour", "ForcedLabour"]),
            ("4", ProvisionKind.OFFENCE, "Employing a child under 18 in hazardous work (illustrative).", Decimal(2), Decimal(6), ["ChildLabour", "ForcedLabour"]),
        ],
    ),
]  # fmt: skip
EXAMPLIA_AUTHORITIES = [
    (AuthorityKind.POLICE, "Examplia National Police, anti-trafficking desk (fictional)", "555-0160", "24/7"),
    (AuthorityKind.CHILD_PROTECTION, "Examplia Child Protection Agency (fictional)", "555-0161", "24/7"),
    (AuthorityKind.PROSECUTOR, "Examplia Public Prosecutor, child victims unit (fictional)", "555-0162", ""),
    (AuthorityKind.LABOUR_INSPECTION, "Examplia Labour Inspectorate (fictional)", "555-0163", ""),
]
# title, professions, organisation kinds, what, authority, hours, provision article
EXAMPLIA_DUTIES: list[tuple[str, list[str], list[OrganisationKind], str, str, int, str]] = [
    (
        "Professionals report suspected child trafficking (illustrative)", ["teacher", "professional"],
        [OrganisationKind.NGO, OrganisationKind.CHILD_PROTECTION],
        "Any suspicion that a child is trafficked or exploited, with what is known of the child and the place.",
        "Examplia National Police, anti-trafficking desk (fictional)", 24, "20",
    ),
    (
        "Hotlines pass on reports about children (illustrative)", [], [OrganisationKind.HOTLINE],
        "Every report that a child may be trafficked or exploited, once it has been read.",
        "Examplia Child Protection Agency (fictional)", 48, "",
    ),
]  # fmt: skip

LEGAL_AID = ("safe-haven", "Safe Haven legal advocacy for children (demo)")


def _actor(world: DemoWorld, email: str, slug: str) -> Actor:
    user, organisation = world.user(email), world.organisation(slug)
    return Actor(user=user, organisation=organisation, roles=roles_in(user, organisation))


def _instruments() -> None:
    for code, short, name, scope, body, adopted, in_force, articles in INSTRUMENTS:
        Instrument.objects.get_or_create(
            code=code,
            defaults={
                "short_name": short, "name": name, "scope": scope, "body": body, "adopted_on": adopted,
                "in_force_on": in_force, "source": INSTRUMENT_SOURCE,
                "key_articles": [{"article": article, "summary": summary} for article, summary in articles],
            },
        )  # fmt: skip


def _examplia() -> Jurisdiction:
    verified = timezone.localdate() - timedelta(days=30)
    sourced = {"source": ILLUSTRATIVE, "last_verified": verified}
    examplia, _created = Jurisdiction.objects.get_or_create(
        code="ES",
        defaults={
            "name": "Examplia (fictional demo profile)", "is_illustrative": True, "age_of_majority": 18,
            "minimum_working_age": 15, "hazardous_work_age": 18, "age_of_consent": 16,
            "criminal_responsibility_age": 14, **sourced,
        },
    )  # fmt: skip
    for code, status, on in EXAMPLIA_STATUSES:
        InstrumentStatus.objects.get_or_create(
            jurisdiction=examplia,
            instrument=Instrument.objects.get(code=code),
            defaults={"status": status, "ratified_on": on, **sourced},
        )
    provisions = {}
    for title, citation, enacted, items in EXAMPLIA_LAWS:
        law, _created = Law.objects.get_or_create(
            jurisdiction=examplia,
            citation=citation,
            defaults={"title": title, "enacted_on": enacted, **sourced},
        )
        for article, kind, summary, low, high, types in items:
            provision, _created = Provision.objects.get_or_create(
                law=law, article=article, kind=kind,
                defaults={"summary": summary, "penalty_min_years": low, "penalty_max_years": high,
                          "exploitation_types": types, **sourced},
            )  # fmt: skip
            provisions[article] = provision
    for kind, name, phone, hours in EXAMPLIA_AUTHORITIES:
        # The labour inspectorate was last checked long ago: the registry flags it as stale.
        stale = {"source": ILLUSTRATIVE, "last_verified": date(2020, 1, 15)}
        Authority.objects.get_or_create(
            jurisdiction=examplia,
            name=name,
            defaults={
                "kind": kind,
                "phone": phone,
                "hours": hours,
                **(stale if kind == AuthorityKind.LABOUR_INSPECTION else sourced),
            },
        )
    for title, professions, kinds, what, authority, within, article in EXAMPLIA_DUTIES:
        ReportingDuty.objects.get_or_create(
            jurisdiction=examplia, title=title,
            defaults={
                "professions": professions, "organisation_kinds": [str(kind) for kind in kinds], "what": what,
                "authority_kind": Authority.objects.get(jurisdiction=examplia, name=authority).kind,
                "authority": Authority.objects.get(jurisdiction=examplia, name=authority),
                "within_hours": within, "provision": provisions.get(article), **sourced,
            },
        )  # fmt: skip
    return examplia


def _legal_aid_referral(world: DemoWorld, case: Case) -> Referral | None:
    """A legal-aid referral of the case to Safe Haven, accepted, so that Safe Haven represents the child."""
    slug, name = LEGAL_AID
    provider = world.organisation(slug)
    service, _created = Service.objects.get_or_create(
        provider=provider,
        name=name,
        defaults={"kind": ServiceKind.LEGAL_AID, "coverage": ",GB,ES,", "languages": ",en,es,"},
    )
    referral = Referral.objects.filter(case=case, service=service).first()
    if referral is None:
        if (
            not case.consents.in_force()
            .filter(scope=ConsentScope.SHARE_ORGANISATION, organisation=provider)
            .exists()
        ):
            return None
        referral = referral_create(
            actor=_actor(world, "caseworker@harbour.example", "harbour-light"), case=case, service=service,
            summary="Needs a lawyer for the criminal trial and a compensation claim (demo).",
            respond_by=timezone.localdate() + timedelta(days=3), share_first_name=False,
        )  # fmt: skip
    if referral.status == ReferralStatus.PENDING:
        referral_respond(
            actor=_actor(world, "caseworker@safehaven.example", slug), referral=referral, accept=True
        )
    return referral


def _matters(world: DemoWorld, examplia: Jurisdiction) -> int:
    trial_case = Case.objects.filter(reference="C-DEMO-0003").first()
    other_case = Case.objects.filter(reference="C-DEMO-0002").first()
    if (
        trial_case is None
        or other_case is None
        or LegalMatter.objects.filter(case__in=[trial_case, other_case]).exists()
    ):
        return 0
    caseworker = _actor(world, "caseworker@harbour.example", "harbour-light")
    referral = _legal_aid_referral(world, trial_case)
    today = timezone.localdate()
    trial = matters.matter_open(
        actor=caseworker, case=trial_case,
        details=matters.MatterDetails(
            kind=MatterKind.CRIMINAL, stage=MatterStage.PROSECUTION, jurisdiction=examplia,
            court="Examplia Central Criminal Court (fictional)", reference_number="EX-CR-2026-0042 (fictional)",
            referral=referral, complaint_on=today - timedelta(days=200),
        ),
    )  # fmt: skip
    matters.measure_request(
        actor=caseworker,
        matter=trial,
        kind=MeasureKind.VIDEO_TESTIMONY,
        requested_on=today - timedelta(days=20),
        note="",
    )
    measure = trial.protection_measures.get()
    matters.measure_decide(
        actor=caseworker, measure=measure, status=MeasureStatus.GRANTED, decided_on=today - timedelta(days=10)
    )
    matters.hearing_schedule(
        actor=caseworker, matter=trial, scheduled_at=timezone.now() + timedelta(days=5, hours=2),
        purpose="Trial, first day (demo)", place="Room 3 (fictional)", child_participates=True,
    )  # fmt: skip
    claim = matters.matter_open(
        actor=caseworker, case=trial_case,
        details=matters.MatterDetails(kind=MatterKind.COMPENSATION, stage=MatterStage.FILED, jurisdiction=examplia,
                                      referral=referral, complaint_on=today - timedelta(days=150)),
    )  # fmt: skip
    matters.matter_record_compensation(
        actor=caseworker, matter=claim, currency="EUR", claimed=Decimal("8000.00"), awarded=None, paid=None
    )
    permit = matters.matter_open(
        actor=caseworker, case=other_case,
        details=matters.MatterDetails(kind=MatterKind.RESIDENCE_PERMIT, stage=MatterStage.FILED, jurisdiction=examplia,
                                      court="Examplia Immigration Office (fictional)", complaint_on=today - timedelta(days=90)),
    )  # fmt: skip
    matters.matter_update(
        actor=caseworker, matter=permit, stage=MatterStage.DECIDED, outcome=MatterOutcome.GRANTED, court=permit.court,
        reference_number="", lawyer="", complaint_on=permit.complaint_on, verdict_on=today - timedelta(days=15), notes="",
    )  # fmt: skip
    return 3


def seed(world: DemoWorld) -> None:
    _instruments()
    examplia = _examplia()
    created = _matters(world, examplia)
    world.log.write(
        f"legal: {Instrument.objects.count()} instruments, illustrative profile {examplia.code} "
        f"({examplia.name}), {created} legal matters created"
    )
