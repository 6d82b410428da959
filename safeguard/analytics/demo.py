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

from safeguard.analytics.models import AdImport
from safeguard.analytics.services.ad_imports import ad_import_process
from safeguard.analytics.services.entities import records_extract_all
from safeguard.analytics.services.networks import networks_rebuild
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
    records_extract_all()
    result = networks_rebuild()
    world.log.write(f"analytics: {result['networks']} networks over {result['records']} records")
