"""Seeded synthetic hotline reports with planted networks, for the analytics benchmarks.

Writes two Parquet files:

* ``reports.parquet``  — ``id`` (str), ``country`` (ISO 3166-1 alpha-2), ``text``: what the
  algorithms read.
* ``truth.parquet``    — ``id``, ``network`` (planted network number, -1 for a report in no
  network): what only the scoring reads.

Everything is fictional. Phones come from ranges set aside for drama or widely used in fiction
(US NXX-555-XXXX, Ofcom's 020 7946 0xxx and 0113 496 0xxx family, ARCEP's 01 99 00 xx xx family),
kept only when ``phonenumbers`` parses them as valid; e-mails use example.com/.org/.net; handles
are made-up words. A planted network is a group of reports that share phones, handles or e-mails,
each written with a random obfuscation (spelled-out digits in English/Spanish/French, separators,
letter-for-digit swaps, "at"/"dot" e-mails, platform URLs); 2 % of phones are split by words the
extractor does not decode, so a report can lose its link to its network. Background reports carry a unique
identifier or none, a hotline number many reports cite, and dates, prices and ages that must not be
read as phones.

    python bench/analytics/generate_reports.py --reports 1000000 --out var/bench/analytics
"""

from __future__ import annotations

import argparse
import random
import time
from dataclasses import dataclass
from pathlib import Path

import phonenumbers
import pyarrow as pa
import pyarrow.parquet as pq

COUNTRIES = ("US", "GB", "FR")
COUNTRY_WEIGHTS = (0.7, 0.15, 0.15)
PLANTED_SHARE = 0.3
HOTLINE = "+12025550100"
UNREADABLE_SHARE = 0.02  # phones written as "202555... then 0123"

_GB_PATTERNS = ("2079460{:03d}", "1134960{:03d}", "1144960{:03d}", "1164960{:03d}", "1174960{:03d}",
                "1184960{:03d}", "1214960{:03d}", "1314960{:03d}", "1414960{:03d}", "1514960{:03d}",
                "1614960{:03d}", "1914980{:03d}", "2896496{:03d}", "2920180{:03d}")  # fmt: skip
_FR_PREFIXES = ("199", "261", "353", "465", "536", "977")  # + two fixed digits + four free

_WORDS = {
    "en": ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"],
    "es": ["cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve"],
    "fr": ["zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf"],
}
_SENTENCES = {
    "en": [
        "A girl of about fifteen was seen with an older man near the bus station on Friday evening.",
        "He promised her a job abroad as a model and said the travel would be free.",
        "Neighbours saw a white van outside the house several times last week, usually after 10pm.",
        "She stopped going to school two weeks ago and her aunt is very worried.",
        "The ad offered $1,500 a month for hostess work and accommodation included.",
        "My cousin left on 12/05/2023 and has not called home since.",
        "I called the hotline at +1 202-555-0100 first and they told me to report here.",
        "The boy, aged 14, works at the car wash every day and does not go to school.",
        "A woman collected their passports when they arrived in 2019.",
    ],
    "es": [
        "Una chica de unos quince años fue vista con un hombre mayor cerca de la terminal.",
        "Le prometió trabajo en el extranjero como modelo y el viaje gratis.",
        "Los vecinos vieron una camioneta blanca varias veces la semana pasada.",
        "Dejó de ir a la escuela hace dos semanas y su tía está muy preocupada.",
        "El anuncio ofrecía $1,500 al mes por trabajo de anfitriona con alojamiento incluido.",
        "Mi prima salió el 12/05/2023 y no ha llamado desde entonces.",
        "Llamé primero a la línea de ayuda +1 202-555-0100 y me dijeron que reportara aquí.",
    ],
    "fr": [
        "Une fille d'environ quinze ans a été vue avec un homme plus âgé près de la gare routière.",
        "Il lui a promis un travail à l'étranger comme mannequin avec le voyage offert.",
        "Les voisins ont vu une camionnette blanche plusieurs fois la semaine dernière.",
        "Elle ne va plus à l'école depuis deux semaines et sa tante est très inquiète.",
        "L'annonce proposait 1 500 € par mois pour un travail d'hôtesse, logement compris.",
        "Ma cousine est partie le 12/05/2023 et n'a pas appelé depuis.",
    ],
}
_CONTACT_INTROS = {
    "en": ["Call", "Text him on", "The number was", "WhatsApp", "contact:", "he said to message"],
    "es": ["Llamar al", "Su número es", "WhatsApp", "contacto:", "escribir al"],
    "fr": ["Appeler le", "Son numéro:", "WhatsApp", "contact :", "écrire au"],
}
_SYLLABLES = ("ka", "lo", "mi", "ra", "zu", "ne", "ti", "vo", "sa", "pe", "lu", "da", "ri", "mo", "na", "be")
_EMAIL_DOMAINS = ("example.com", "example.org", "example.net")


@dataclass(frozen=True, slots=True)
class Identifier:
    kind: str  # phone, handle, email
    value: str  # E.164 for phones
    country: str


def _valid(e164: str) -> bool:
    return phonenumbers.is_valid_number(phonenumbers.parse(e164, None))


def _phone_pool(country: str, rng: random.Random, size: int) -> list[str]:
    """Up to ``size`` distinct valid fictional numbers (E.164) for a country, shuffled."""
    if country == "US":
        area_codes = [ac for ac in range(201, 990) if _valid(f"+1{ac}5550123")]
        candidates = (f"+1{ac}555{line:04d}" for ac in area_codes for line in range(200, 10000))
    elif country == "GB":
        candidates = (f"+44{pattern.format(n)}" for pattern in _GB_PATTERNS for n in range(1000))
    else:
        candidates = (f"+33{p}{mid:02d}{n:04d}" for p in _FR_PREFIXES for mid in range(0, 100, 7)
                      for n in range(10000))  # fmt: skip
    pool = list(candidates)
    rng.shuffle(pool)
    chosen = []
    for e164 in pool:
        if len(chosen) >= size:
            break
        if e164 != HOTLINE and _valid(e164):
            chosen.append(e164)
    return chosen


def _render_digits(digits: str, language: str, rng: random.Random) -> str:
    style = rng.randrange(5)
    if style == 0:  # separators between every digit
        return "".join(d + rng.choice(["", " ", " ", "-", "."]) for d in digits[:-1]) + digits[-1]
    if style == 1:  # every digit spelled out
        return " ".join(_WORDS[language][int(d)] for d in digits)
    if style == 2:  # half spelled out
        cut = len(digits) // 2
        return digits[:cut] + " " + " ".join(_WORDS[language][int(d)] for d in digits[cut:])
    if style == 3:  # letter-for-digit swaps, keeping real digits around them
        swaps = {"0": "oO", "1": "lI", "5": "S"}
        chars = [rng.choice(swaps[d]) if d in swaps and rng.random() < 0.5 else d for d in digits]
        chars[-1] = digits[-1]
        return "".join(chars)
    return digits


def render_phone(e164: str, language: str, rng: random.Random) -> str:
    number = phonenumbers.parse(e164, None)
    roll = rng.random()
    if roll < UNREADABLE_SHARE:
        # Written in a way the extractor does not decode, so recall is measured honestly.
        national = phonenumbers.national_significant_number(number)
        cut = len(national) // 2
        return f"{national[:cut]}... then {national[cut:]}"
    if roll < 0.25:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    if roll < 0.35:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    if roll < 0.4:
        return f"wa.me/{e164[1:]}"
    national = phonenumbers.national_significant_number(number)
    prefix = "0" if number.country_code in (33, 44) else ""
    return _render_digits(prefix + national, language, rng)


def render_handle(name: str, rng: random.Random) -> str:
    shown = name.upper() if rng.random() < 0.1 else name
    return rng.choice(
        [f"@{shown}", f"instagram.com/{shown}", f"https://t.me/{shown}", f"snap: {shown}", f"IG: @{shown}",
         f"tiktok.com/@{shown}"]
    )  # fmt: skip


def render_email(address: str, rng: random.Random) -> str:
    local, domain = address.split("@")
    name, tld = domain.rsplit(".", 1)
    return rng.choice(
        [address, address.title(), f"{local} at {name} dot {tld}", f"{local}(at){name}[.]{tld}",
         f"{local} [at] {name} [dot] {tld}", f"{local} @ {domain}"]
    )  # fmt: skip


def _render(identifier: Identifier, language: str, rng: random.Random) -> str:
    if identifier.kind == "phone":
        return f"{rng.choice(_CONTACT_INTROS[language])} {render_phone(identifier.value, language, rng)}"
    if identifier.kind == "handle":
        return render_handle(identifier.value, rng)
    return f"email {render_email(identifier.value, rng)}"


def _language(country: str, rng: random.Random) -> str:
    if country == "FR":
        return "fr"
    if country == "US" and rng.random() < 0.2:
        return "es"
    return "en"


class _Names:
    """Unique fictional handles and e-mail addresses."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.counter = 0

    def handle(self) -> str:
        self.counter += 1
        word = "".join(self.rng.choice(_SYLLABLES) for _ in range(3))
        return f"{word}_{self.counter:x}"

    def email(self) -> str:
        self.counter += 1
        word = "".join(self.rng.choice(_SYLLABLES) for _ in range(2))
        return f"{word}.{self.counter:x}@{self.rng.choice(_EMAIL_DOMAINS)}"


def _connected_mentions(n_reports: int, n_identifiers: int, rng: random.Random) -> list[list[int]]:
    """Which identifiers each report mentions, such that the reports form one connected group."""
    mentions = [
        sorted(rng.sample(range(n_identifiers), min(n_identifiers, rng.choice([1, 1, 2]))))
        for _ in range(n_reports)
    ]
    # Chain any report whose identifiers nobody shared yet to an identifier already in the group.
    seen = set(mentions[0])
    for report in mentions[1:]:
        if not seen.intersection(report):
            report.append(rng.choice(sorted(seen)))
        seen.update(report)
    return mentions


def generate(n_reports: int, seed: int) -> tuple[list[tuple[str, str, str]], list[tuple[str, int]]]:
    rng = random.Random(seed)
    countries = rng.choices(COUNTRIES, COUNTRY_WEIGHTS, k=n_reports)
    names = _Names(rng)
    need = {c: int(n_reports * w * 0.7) + 100 for c, w in zip(COUNTRIES, COUNTRY_WEIGHTS, strict=True)}
    pools = {country: _phone_pool(country, rng, need[country]) for country in COUNTRIES}

    planted_target = int(n_reports * PLANTED_SHARE)
    order = list(range(n_reports))
    rng.shuffle(order)
    texts: list[str] = [""] * n_reports
    networks = [-1] * n_reports
    cursor = 0
    network = 0
    while cursor < planted_target:
        size = min(rng.choice([2, 2, 3, 3, 4, 5, 6, 8, 10, 15, 20, 30, 40]), planted_target - cursor)
        if size < 2:
            break
        members = order[cursor : cursor + size]
        cursor += size
        country = countries[members[0]]
        identifiers = [
            Identifier("phone", pools[country].pop(), country)
            if pools[country]
            else Identifier("handle", names.handle(), country)
        ]
        for _ in range(rng.choice([0, 1, 1, 2])):
            kind = rng.choice(["phone", "handle", "handle", "email"])
            if kind == "phone" and pools[country]:
                identifiers.append(Identifier("phone", pools[country].pop(), country))
            elif kind == "email":
                identifiers.append(Identifier("email", names.email(), country))
            else:
                identifiers.append(Identifier("handle", names.handle(), country))
        for report, mentioned in zip(members, _connected_mentions(size, len(identifiers), rng), strict=True):
            countries[report] = country
            language = _language(country, rng)
            contacts = [_render(identifiers[i], language, rng) for i in mentioned]
            texts[report] = _text(language, contacts, rng)
            networks[report] = network
        network += 1

    for report in order[cursor:]:
        country = countries[report]
        language = _language(country, rng)
        roll = rng.random()
        contacts = []
        if roll < 0.5 and pools[country]:
            contacts.append(_render(Identifier("phone", pools[country].pop(), country), language, rng))
        elif roll < 0.7:
            contacts.append(render_handle(names.handle(), rng))
        elif roll < 0.8:
            contacts.append(f"email {render_email(names.email(), rng)}")
        texts[report] = _text(language, contacts, rng)

    reports = [(f"report:{i}", countries[i], texts[i]) for i in range(n_reports)]
    truth = [(f"report:{i}", networks[i]) for i in range(n_reports)]
    return reports, truth


def _text(language: str, contacts: list[str], rng: random.Random) -> str:
    sentences = rng.sample(_SENTENCES[language], 4)
    for contact in contacts:
        sentences.insert(rng.randrange(len(sentences) + 1), contact + ".")
    return " ".join(sentences)


def generate_to(n_reports: int, seed: int, out: Path) -> None:
    """Write ``reports.parquet`` and, separately, ``truth.parquet`` into ``out``."""
    reports, truth = generate(n_reports, seed)
    out.mkdir(parents=True, exist_ok=True)
    ids, countries, texts = zip(*reports, strict=True)
    pq.write_table(
        pa.table({"id": list(ids), "country": list(countries), "text": list(texts)}), out / "reports.parquet"
    )
    pq.write_table(
        pa.table({"id": [t[0] for t in truth], "network": [t[1] for t in truth]}), out / "truth.parquet"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=20240501)
    parser.add_argument("--out", type=Path, default=Path("var/bench/analytics"))
    args = parser.parse_args()

    started = time.perf_counter()
    generate_to(args.reports, args.seed, args.out)
    print(f"{args.reports:,} reports → {args.out} in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
