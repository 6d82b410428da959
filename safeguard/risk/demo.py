"""Demo data for vulnerability mapping (all synthetic, all fictional).

Examplia (code ``XE``, from the ISO 3166 user-assigned range, so it can never clash with a real
country) has 30 districts with generated polygon shapes and plausible, synthetic indicators
for 2019–2023 across the four factors; the World Bank sample (CC BY 4.0, in ``data/``) is
loaded at country level. The Ministry of Social Affairs of Examplia (demo) gets a saved index
configuration for each and a completed run, so the map shows something at once.
Idempotent: a second call changes nothing.
"""

from __future__ import annotations

import csv
import io
import math
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from safeguard.accounts.access import Actor, roles_in
from safeguard.intake.models import Report
from safeguard.portal.demo import DemoWorld
from safeguard.risk.models import (
    Direction,
    ImportFormat,
    IndexConfiguration,
    IndexRun,
    Indicator,
    IndicatorValue,
    Region,
    RegionLevel,
    RunStatus,
)
from safeguard.risk.services.indicators import indicator_create, indicator_import
from safeguard.risk.services.regions import region_create
from safeguard.risk.services.runs import configuration_create, run_execute, run_request

COUNTRY_CODE = "XE"
COUNTRY_NAME = "Examplia (fictional)"
YEARS = range(2019, 2024)
DATA_DIR = Path(__file__).resolve().parent / "data"
WORLDBANK_SAMPLE = DATA_DIR / "worldbank" / "API_SI.POV.NAHC_DS2_en_csv_v2_2917413.csv"
PROGRAMME_MANAGER = "programme@ministry.example"
DISTRICTS_CONFIGURATION = "Examplia districts (demo)"
COUNTRIES_CONFIGURATION = "Countries: national poverty (World Bank sample)"
SOURCE = "Synthetic demo data (fictional)"

DISTRICT_NAMES = [
    "Amberfield",
    "Brackenmoor",
    "Cinderford",
    "Dunmere",
    "Eastwater",
    "Fallowmere",
    "Glenhollow",
    "Harrowgate",
    "Ivybridge",
    "Juniper Vale",
    "Kestrel Downs",
    "Larchmont",
    "Millbrook",
    "Northmarsh",
    "Oakhaven",
    "Pebbleton",
    "Quarry Hill",
    "Rushwick",
    "Saltcombe",
    "Thornbury",
    "Umberlea",
    "Violet Bay",
    "Westerly",
    "Yarrowfield",
    "Zephyr Point",
    "Ashcombe",
    "Birchwell",
    "Coldharbour",
    "Driftwood",
    "Emberly",
]

# (code, name, factor, direction, unit, log, low, high): the indicator runs from ``low`` in the
# least to ``high`` in the most vulnerable district (before noise).
INDICATORS = [
    ("XE.POVERTY", "Children in poor households", "economic", 1, "%", False, 12, 58),
    ("XE.UNEMPLOYMENT", "Youth unemployment rate", "economic", 1, "%", False, 8, 34),
    ("XE.INCOME_SHOCK", "Households with an income shock in the year", "economic", 1, "%", False, 5, 30),
    ("XE.OUT_OF_SCHOOL", "Children out of school (lower secondary)", "education", 1, "%", False, 3, 38),
    ("XE.LITERACY", "Youth literacy rate", "education", -1, "%", False, 97, 68),
    ("XE.SCHOOLING", "Mean years of schooling (adults)", "education", -1, "years", False, 11, 5),
    (
        "XE.DISTANCE",
        "Travel time to the nearest child-protection office",
        "geography",
        1,
        "minutes",
        True,
        15,
        240,
    ),
    ("XE.BORDER", "Population in border and transit areas", "geography", 1, "%", False, 0, 45),
    ("XE.DISPLACED", "Internally displaced people", "geography", 1, "%", False, 0, 12),
    ("XE.POLICE", "Police officers per 100,000 people", "geography", -1, "per 100,000", False, 310, 90),
    ("XE.SOCIAL_PROTECTION", "Children covered by social protection", "community", -1, "%", False, 85, 20),
    ("XE.BIRTH_REGISTRATION", "Births registered", "community", -1, "%", False, 99, 62),
    (
        "XE.SERVICE_ACCESS",
        "Households within one hour of social services",
        "community",
        -1,
        "%",
        False,
        92,
        35,
    ),
]


@dataclass(frozen=True)
class District:
    code: str
    name: str
    polygon: list[list[float]]
    children: int
    population: int
    vulnerability: float  # 0–1, the synthetic truth behind the indicators


def examplia_districts(seed: int, *, rows: int = 6, columns: int = 6) -> list[District]:
    """30 districts: a jittered 6 × 6 grid of quadrilaterals without its six corner-most cells.

    Cells share their (jittered) corners, so the districts tile the country without gaps. The
    synthetic vulnerability grows towards the remote south-east, with local noise.
    """
    rng = random.Random(f"{seed}:examplia")
    west, north, step = 20.0, 4.0, 0.5
    corners = {
        (r, c): [
            round(west + c * step + (rng.uniform(-0.17, 0.17) * step if 0 < c < columns else 0), 4),
            round(north - r * step + (rng.uniform(-0.17, 0.17) * step if 0 < r < rows else 0), 4),
        ]
        for r in range(rows + 1)
        for c in range(columns + 1)
    }
    left_out = {
        (0, 0),
        (0, 1),
        (0, columns - 1),
        (rows - 1, 0),
        (rows - 1, columns - 1),
        (rows - 2, columns - 1),
    }
    cells = [(r, c) for r in range(rows) for c in range(columns) if (r, c) not in left_out]
    districts = []
    for number, (r, c) in enumerate(cells, start=1):
        ring = [corners[(r, c)], corners[(r, c + 1)], corners[(r + 1, c + 1)], corners[(r + 1, c)]]
        ring.append(list(ring[0]))
        trend = 0.55 * (c / (columns - 1)) + 0.45 * (r / (rows - 1))
        vulnerability = min(1.0, max(0.0, trend + rng.gauss(0, 0.12)))
        children = rng.randrange(18_000, 160_000, 100)
        districts.append(
            District(
                code=f"{COUNTRY_CODE}-{number:02d}",
                name=DISTRICT_NAMES[number - 1],
                polygon=ring,
                children=children,
                population=int(children * rng.uniform(2.2, 2.9)),
                vulnerability=vulnerability,
            )
        )
    return districts


def examplia_values(seed: int, districts: list[District]) -> list[tuple[str, int, str, float]]:
    """(region, year, indicator, value) for every district, indicator and year, with some gaps.

    Values drift slowly over the years; one district lacks most indicators (so it gets no
    score, and the map shows what 'no score' looks like) and a few values are missing.
    """
    rng = random.Random(f"{seed}:examplia-values")
    rows = []
    sparse = districts[-1].code
    for district in districts:
        for code, _, _, _, _, log, low, high in INDICATORS:
            base = low + (high - low) * min(1.0, max(0.0, district.vulnerability + rng.gauss(0, 0.08)))
            drift = rng.uniform(-0.015, 0.01) * (high - low)
            for year in YEARS:
                if district.code == sparse and code not in ("XE.POVERTY", "XE.LITERACY", "XE.DISTANCE"):
                    continue
                if rng.random() < 0.04 and year == YEARS[-1]:
                    continue  # not reported this year: the index falls back to an earlier year
                value = base + drift * (year - YEARS[0]) + rng.gauss(0, 0.01 * abs(high - low))
                if log:
                    value = max(5.0, value * math.exp(rng.gauss(0, 0.05)))
                upper = 100.0 if "%" in _unit(code) else math.inf
                rows.append((district.code, year, code, round(min(max(value, 0.0), upper), 1)))
    return rows


def _unit(code: str) -> str:
    return next(spec[4] for spec in INDICATORS if spec[0] == code)


def _long_csv(rows: list[tuple[str, int, str, float]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["region", "year", "indicator", "value"])
    writer.writerows(rows)
    return buffer.getvalue().encode()


def _actor(world: DemoWorld) -> Actor:
    user = world.user(PROGRAMME_MANAGER)
    membership = user.memberships.first()
    assert membership is not None, "the demo programme manager has a membership"
    organisation = membership.organisation
    return Actor(user=user, organisation=organisation, roles=roles_in(user, organisation))


def seed_examplia(world: Any, actor: Actor) -> None:
    districts = examplia_districts(world.seed)
    country = Region.objects.filter(code=COUNTRY_CODE).first()
    if country is None:
        country = region_create(
            actor=actor,
            code=COUNTRY_CODE,
            name=COUNTRY_NAME,
            level=RegionLevel.COUNTRY,
            population=sum(d.population for d in districts),
            child_population=sum(d.children for d in districts),
        )
    for district in districts:
        if not Region.objects.filter(code=district.code).exists():
            region_create(
                actor=actor,
                code=district.code,
                name=district.name,
                level=RegionLevel.DISTRICT,
                parent=country,
                shape={"type": "Polygon", "coordinates": [district.polygon]},
                population=district.population,
                child_population=district.children,
            )
    for code, name, factor, direction, unit, log, _, _ in INDICATORS:
        if not Indicator.objects.filter(code=code).exists():
            indicator_create(
                actor=actor,
                code=code,
                name=name,
                factor=factor,
                direction=Direction.MORE if direction == 1 else Direction.LESS,
                unit=unit,
                source=SOURCE,
                licence="CC0 (synthetic)",
                log_transform=log,
            )
    if not IndicatorValue.objects.filter(region__parent=country).exists():
        indicator_import(
            actor=actor,
            file_name="examplia-districts-2019-2023.csv",
            content=_long_csv(examplia_values(world.seed, districts)),
            format=ImportFormat.LONG,
        )


def seed_examplia_reports(world: Any, actor: Actor) -> None:
    """Synthetic reports with coordinates inside Examplia's districts, placed by point in polygon,
    so prevention targeting has a count per district. Fewer reports reach the remote south-east,
    where the synthetic vulnerability is highest: the reporting gap the targeting tab is for."""
    from decimal import Decimal

    from safeguard.intake.choices import Channel
    from safeguard.intake.services import ReportInput, report_submit
    from safeguard.risk.services.places import report_place_assign

    if Report.objects.filter(reference__startswith="SG-XE").exists():
        return
    rng = random.Random(f"{world.seed}:examplia-reports")
    helpline = world.organisations.get("northwind-helpline") or actor.organisation
    number = 0
    for district in examplia_districts(world.seed):
        corners = district.polygon[:-1]
        for _ in range(max(0, round(rng.gauss(4 * (1 - district.vulnerability), 0.8)))):
            # A point inside the (convex) quadrilateral: a random convex combination of its corners.
            weights = [rng.random() + 0.2 for _ in corners]
            total = sum(weights)
            lon = sum(w * c[0] for w, c in zip(weights, corners, strict=True)) / total
            lat = sum(w * c[1] for w, c in zip(weights, corners, strict=True)) / total
            number += 1
            submission = report_submit(
                data=ReportInput(
                    narrative="Fictional demo report from Examplia about a child working instead of school.",
                    country=COUNTRY_CODE,
                    place="Fictional place in Examplia (demo)",
                    latitude=Decimal(f"{lat:.3f}"),
                    longitude=Decimal(f"{lon:.3f}"),
                    relation="witness",
                    language="en",
                ),
                channel=Channel.PHONE,
                organisation=helpline,
                reference=f"SG-XE{number:05d}",
            )
            report_place_assign(report_id=submission.report.pk)


def seed_worldbank(actor: Actor) -> None:
    if IndicatorValue.objects.filter(indicator__code="SI.POV.NAHC").exists():
        return
    record = indicator_import(
        actor=actor,
        file_name=WORLDBANK_SAMPLE.name,
        content=WORLDBANK_SAMPLE.read_bytes(),
        format=ImportFormat.WORLDBANK,
        new_indicator_factor="economic",
        new_indicator_direction=Direction.MORE,
    )
    if record.problems:
        raise RuntimeError(f"the World Bank sample did not import: {record.problems[:3]}")
    Indicator.objects.filter(code="SI.POV.NAHC").update(unit="% of population")


def _configuration_with_run(actor: Actor, name: str, **options: Any) -> IndexRun:
    configuration = IndexConfiguration.objects.filter(organisation=actor.organisation, name=name).first()
    if configuration is None:
        configuration = configuration_create(actor=actor, name=name, **options)
    run = configuration.runs.filter(status=RunStatus.SUCCEEDED).first()
    if run is None:
        run = run_request(actor=actor, configuration=configuration)
        # The demo shows a finished run at once, without waiting for a worker; the queued task
        # finds the run already computed and leaves it alone.
        run = run_execute(run_id=run.pk)
    return run


def seed(world: DemoWorld) -> None:
    actor = _actor(world)
    seed_examplia(world, actor)
    seed_examplia_reports(world, actor)
    seed_worldbank(actor)
    country = Region.objects.get(code=COUNTRY_CODE)
    run = _configuration_with_run(
        actor,
        DISTRICTS_CONFIGURATION,
        level=RegionLevel.DISTRICT,
        within=country,
        indicators=list(Indicator.objects.filter(code__startswith="XE.")),
    )
    _configuration_with_run(
        actor,
        COUNTRIES_CONFIGURATION,
        level=RegionLevel.COUNTRY,
        within=None,
        indicators=list(Indicator.objects.filter(code="SI.POV.NAHC")),
        window_years=10,
        perturbations=200,
    )
    world.log.write(f"risk: Examplia (fictional, XE) with 30 districts; index run #{run.pk} ready")
