"""Demo analytics: a few hundred fictional ads from four templates, and the demo reports' links.

Idempotent: the ads are imported once (by file name); entities and networks are rebuilt on
every run, which gives the same result for the same records. Every phone is in the 555-01xx
fictional range and every site ends in ``.example``.
"""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from typing import Any

from django.utils import timezone

from safeguard.analytics.models import AdImport
from safeguard.analytics.services.ad_imports import ad_import_process
from safeguard.analytics.services.entities import records_extract_all
from safeguard.analytics.services.networks import networks_rebuild
from safeguard.analytics.services.person_links import person_linking_run
from safeguard.intake.choices import Channel
from safeguard.intake.models import Report
from safeguard.intake.services.submission import ReportInput, report_submit
from safeguard.portal.demo import DemoWorld

DEMO_FILE = "demo-ads.jsonl"

TEMPLATES = [
    (
        "Work abroad in {city}! Hotel jobs for young people, earn {pay} euros per month, free travel and "
        "housing included. No experience needed, no documents needed. Limited places, call {phone} today.",
        ["jobs-board.example", "classifieds.example"],
    ),
    (
        "Modelling agency (demo) seeks girls 16-17 for photo shoots in {city}. The agency keeps your passport "
        "safe during the contract. Salary {pay} dollars a week. WhatsApp {phone}.",
        ["models-wanted.example"],
    ),
    (
        "Trabajo en el extranjero: buscamos chicas para restaurantes en {city}. Sueldo {pay} euros al mes, "
        "viaje gratis y alojamiento incluido. Sin experiencia. Salida inmediata. Llama al {phone}.",
        ["empleos.example", "jobs-board.example"],
    ),
    (
        "Travail à l'étranger à {city} : hôtesses et serveuses, logement offert, billets d'avion offerts. "
        "Aucune expérience requise. Départ immédiat, appelez le {phone}.",
        ["annonces.example"],
    ),
]
CITIES = ["Madrid", "Lyon", "Dubai", "Milan", "Lisbon", "Porto", "Seville", "Marseille", "Valencia", "Nice"]


def demo_ads(rng: random.Random) -> list[dict[str, Any]]:
    ads = []
    start = datetime(2025, 1, 6, 9, tzinfo=UTC)
    for number in range(320):
        template_index = number % len(TEMPLATES)
        template, sites = TEMPLATES[template_index]
        # Each template uses a few phones; template 0 and 2 share one: an organised group.
        phone_pool = {
            0: ["0100", "0101", "0199"],
            1: ["0110", "0111"],
            2: ["0120", "0199"],
            3: ["0130", "0131"],
        }
        phone = "+1 202 555 " + rng.choice(phone_pool[template_index])
        text = template.format(
            city=rng.choice(CITIES), pay=rng.choice([1500, 2000, 2500, 3000, 4000]), phone=phone
        )
        ads.append(
            {
                "id": f"demo-{number:04d}",
                "text": text,
                "posted_at": (start + timedelta(hours=7 * number)).isoformat(),
                "phones": [phone],
                "location": rng.choice(["ES", "FR", "PT"]),
                "site": rng.choice(sites),
            }
        )
    # A few one-off ads that belong to no template.
    for number, text in enumerate(
        [
            "Selling a second-hand bicycle in good condition (demo).",
            "Piano lessons for beginners, weekends only (demo).",
            "Lost cat near the station, answers to Pixel (demo).",
        ]
    ):
        ads.append(
            {"id": f"demo-lone-{number}", "text": text, "location": "ES", "site": "classifieds.example"}
        )
    return ads


# Reports whose people are spelled a little differently from one report to the next, so that the
# person-link review queue has pairs to decide (issue 11), and two reports sent twice, so that
# the triage page suggests a duplicate. (reference, hours ago, region, children, suspects, phone, text)
LINKING_REPORTS: list[tuple[str, int, str, list[dict[str, Any]], list[dict[str, Any]], str, str]] = [
    (
        "SG-DEMOL001",
        300,
        "PT-11",
        [{"name": "Ana Testova", "age": 15, "gender": "Feminine"}],
        [],
        "+1 202 555 0141",
        "A girl called Ana Testova (demo) was seen with an older man at the bus station.",
    ),
    (
        "SG-DEMOL002",
        200,
        "PT-11",
        [{"name": "Anna Testova", "age": 15, "gender": "Feminine"}],
        [],
        "",
        "Anna Testova (demo) did not come back to school after the holidays.",
    ),
    (
        "SG-DEMOL003",
        150,
        "PT-11",
        [{"name": "TESTOVA, Ana", "age": 16, "gender": "Feminine"}],
        [],
        "+1 202 555 0141",
        "An advert offered TESTOVA, Ana (demo) a job as a waitress abroad.",
    ),
    (
        "SG-DEMOL004",
        260,
        "PT-13",
        [],
        [{"names": "Boris Fictionov", "description": "drives a white van"}],
        "",
        "Boris Fictionov (demo) recruits boys for a building site.",
    ),
    (
        "SG-DEMOL005",
        120,
        "PT-13",
        [],
        [{"names": "Borys Fictionov", "description": "white van"}],
        "",
        "Borys Fictionov (demo) was seen again near the market with two boys.",
    ),
    (
        "SG-DEMOL006",
        90,
        "PT-13",
        [],
        [{"names": "Dmitri Placeholder", "description": ""}],
        "",
        "Dmitri Placeholder (demo) asks teenagers for their passports.",
    ),
    (
        "SG-DEMOL007",
        60,
        "PT-13",
        [],
        [{"names": "Dmitry Placeholder", "description": ""}],
        "",
        "Dmitry Placeholder (demo) keeps the passports of the workers.",
    ),
]
# People who resemble nobody else: without them the model has too little to tell a near match by.
LINKING_REPORTS += [
    (f"SG-DEMOL{number:03d}", hours, region, children, suspects, "", text)
    for number, hours, region, children, suspects, text in [
        (8, 280, "ES-MD", [{"name": "Eva Mockova", "age": 9, "gender": "Feminine"}], [],
         "Eva Mockova (demo) sells flowers at night at a crossroads."),
        (9, 250, "ES-MD", [{"name": "Carla Sampleton", "age": 12, "gender": "Feminine"}], [],
         "Carla Sampleton (demo) works in a family's house and does not go to school."),
        (10, 210, "ES-B", [{"name": "Lucas Demoson", "age": 14, "gender": "Masculine"}], [],
         "Lucas Demoson (demo) was promised a football trial abroad."),
        (11, 170, "PT-11", [{"name": "Marta Fakeira", "age": 13, "gender": "Feminine"}], [],
         "Marta Fakeira (demo) was seen begging with an adult who keeps the money."),
        (12, 140, "ES-MD", [], [{"names": "Omar Samplewicz", "description": ""}],
         "Omar Samplewicz (demo) offers girls modelling work."),
        (13, 100, "PT-13", [], [{"names": "Ivo Mockup", "description": ""}],
         "Ivo Mockup (demo) drives workers to the farms at dawn."),
    ]
]  # fmt: skip
DUPLICATE_TEXT = (
    "A man in a grey van (demo) waits outside the school gate every afternoon and offers the older girls "
    "jobs in a restaurant in another city, with free travel and a place to stay. Call +1 202 555 0142."
)
DUPLICATE_REPORTS = [("SG-DEMOD001", 30), ("SG-DEMOD002", 29)]


def _seed_linking_reports(world: DemoWorld) -> None:
    helpline = world.organisation("northwind-helpline")
    now = timezone.now()
    rows = [
        (reference, hours, region, children, suspects, phone, text)
        for reference, hours, region, children, suspects, phone, text in LINKING_REPORTS
    ] + [
        (reference, hours, "ES-MD", [], [], "+1 202 555 0142", DUPLICATE_TEXT)
        for reference, hours in DUPLICATE_REPORTS
    ]
    for reference, hours, region, children, suspects, phone, text in rows:
        if Report.objects.filter(reference=reference).exists():
            continue
        report_submit(
            data=ReportInput(
                narrative=text,
                country=region[:2],
                subdivision=region,
                place="Fictional place (demo)",
                children=children,
                suspects=suspects,
                identifiers=[("phone", phone)] if phone else [],
                relation="witness",
                language="en",
            ),
            channel=Channel.WEB,
            organisation=helpline,
            reference=reference,
            created_at=now - timedelta(hours=hours),
        )


def seed(world: DemoWorld) -> None:
    harbour = world.organisation("harbour-light")
    analyst = world.user("analyst@harbour.example")
    if not AdImport.objects.filter(organisation=harbour, filename=DEMO_FILE).exists():
        content = "\n".join(json.dumps(ad) for ad in demo_ads(world.rng)) + "\n"
        ad_import = AdImport.objects.create(
            organisation=harbour,
            uploaded_by=analyst,
            filename=DEMO_FILE,
            format=AdImport.Format.JSONL,
            content=content,
        )
        ad_import_process(import_id=ad_import.pk)
        world.log.write("analytics: imported the demo ads file")
    _seed_linking_reports(world)
    records_extract_all()
    result = networks_rebuild()
    world.log.write(f"analytics: {result['networks']} networks over {result['records']} records")
    helpline = world.organisation("northwind-helpline")
    linking = person_linking_run(organisation_id=helpline.pk)
    world.log.write(f"analytics: {linking['review']} person-link pairs to review")
