"""Seeded synthetic recruitment ads from planted templates, with slot variation and noise ads.

Every ad is fictional. The ground truth (which template planted an ad, or none for noise) is
returned separately from the ads and never reaches the clustering code.

With ``--drift`` reposts drift from their template as real reposts do: half of them copy an
earlier ad of the template rather than the template itself, and every one then gets typos
(swapped, dropped, doubled or mistyped letters), synonyms, dropped words, shuffled sentences,
hashtags, emoji and upper-cased words or whole ads.

    python -m bench.analytics.generate_ads --n 100000 --out ads.jsonl [--truth truth.csv] [--drift]
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

CITIES = [
    "Lisbon",
    "Porto",
    "Madrid",
    "Valencia",
    "Milan",
    "Naples",
    "Lyon",
    "Marseille",
    "Berlin",
    "Hamburg",
    "Warsaw",
    "Krakow",
    "Prague",
    "Vienna",
    "Budapest",
    "Bucharest",
    "Sofia",
    "Athens",
    "Dublin",
    "Leeds",
    "Manchester",
    "Bristol",
    "Antwerp",
    "Rotterdam",
    "Utrecht",
    "Riga",
    "Vilnius",
    "Tallinn",
    "Zagreb",
    "Ljubljana",
    "Bratislava",
    "Seville",
    "Bilbao",
    "Turin",
    "Genoa",
    "Nice",
    "Munich",
    "Cologne",
]
FIRST_NAMES = [
    "Testa",
    "Fictiona",
    "Samplia",
    "Demora",
    "Mockel",
    "Placeo",
    "Dummia",
    "Fakira",
    "Synthia",
    "Exampla",
    "Nullia",
    "Fauxine",
    "Pretendo",
    "Lorema",
    "Ipsuma",
    "Quuxie",
    "Foobara",
    "Bazilia",
    "Corgeta",
    "Waldia",
]
JOBS = [
    "waitress",
    "model",
    "dancer",
    "hostess",
    "nanny",
    "cleaner",
    "au pair",
    "hotel maid",
    "promoter",
    "massage therapist",
    "bar staff",
    "receptionist",
    "kitchen helper",
    "fruit picker",
    "caregiver",
]
PHRASES = [
    "no experience needed",
    "we pay travel and visa",
    "accommodation is provided for free",
    "young girls wanted for work abroad",
    "start working immediately",
    "send photo to apply",
    "high salary paid every week",
    "only serious candidates",
    "we arrange all documents for you",
    "work in a friendly international team",
    "contact us today on whatsapp",
    "flexible hours available",
    "must be open minded",
    "earn money fast",
    "we help with passport and tickets",
    "age is not a problem",
    "meals included",
    "cash paid daily",
    "agency fee paid later from salary",
    "car pick up from airport",
    "discreet and private",
    "for ladies only",
    "opportunity of a lifetime",
    "english not required",
    "we are hiring right now",
    "limited places available",
    "bring your friends too",
    "tips are very good",
    "vip clients only",
    "modelling career for beautiful girls",
    "join our family business",
    "looking for hard working people",
    "live in position",
    "transport to work provided",
    "send your age and height",
    "no need to speak the language",
    "we can lend you money for the trip",
    "full time or part time",
    "contract for six months",
    "work permit arranged by our agency",
]
WORDS = [
    "apple",
    "river",
    "stone",
    "window",
    "garden",
    "silver",
    "market",
    "yellow",
    "forest",
    "orange",
    "bridge",
    "candle",
    "pencil",
    "ticket",
    "winter",
    "summer",
    "castle",
    "engine",
    "harbor",
    "island",
    "jacket",
    "kettle",
    "ladder",
    "mirror",
    "needle",
    "ocean",
    "pepper",
    "quilt",
    "rocket",
    "saddle",
    "tunnel",
    "umbrella",
    "valley",
    "wallet",
    "yogurt",
    "zipper",
    "anchor",
    "basket",
    "cactus",
    "dragon",
    "feather",
    "glacier",
    "hammer",
    "iceberg",
    "jungle",
    "kitten",
    "lemon",
    "meadow",
    "nickel",
    "oyster",
    "parrot",
    "quartz",
    "ribbon",
    "sandal",
    "thunder",
    "velvet",
    "walnut",
    "canyon",
    "desert",
    "falcon",
    "goblet",
    "helmet",
    "lantern",
    "marble",
    "nectar",
    "orchid",
    "pebble",
    "raven",
    "spruce",
    "tulip",
    "violin",
    "willow",
    "bamboo",
    "cobalt",
    "dolphin",
    "ember",
    "fossil",
    "granite",
    "hazel",
    "indigo",
    "jasmine",
]
_SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ne",
    "ru",
    "sa",
    "ti",
    "vo",
    "be",
    "da",
    "fe",
    "gi",
    "ho",
    "ju",
    "ke",
    "la",
    "mo",
    "nu",
    "pa",
    "re",
    "si",
    "to",
    "vu",
    "wa",
    "ye",
    "zo",
]
PSEUDO_WORDS = sorted({a + b + c for a in _SYLLABLES for b in _SYLLABLES for c in _SYLLABLES if a != b})[::5]
NOISE_WORDS = WORDS + PSEUDO_WORDS + JOBS + CITIES
OPENINGS = [
    "{job} wanted in {city}",
    "we need {job} for work in {city}",
    "urgent {job} job in {city}",
    "looking for {job} to work in {city}",
    "{city} agency hiring {job}",
    "new {job} positions open in {city}",
]
PAY_LINES = [
    "salary {pay} euro per {period}",
    "you earn {pay} eur every {period}",
    "pay is {pay} per {period}",
    "{pay} euro a {period} guaranteed",
    "income from {pay} each {period}",
]
CONTACT_LINES = [
    "call or text {name} at {phone}",
    "whatsapp {name} {phone}",
    "contact {name} on {phone}",
    "ask for {name} {phone}",
    "message {name} now {phone}",
]


SYNONYMS = {
    "wanted": ["needed", "required", "wanted urgently"],
    "need": ["want", "are looking for", "require"],
    "work": ["job", "employment", "working"],
    "job": ["work", "position", "vacancy"],
    "jobs": ["positions", "vacancies"],
    "salary": ["pay", "wage", "income"],
    "pay": ["salary", "wage"],
    "earn": ["make", "get"],
    "money": ["cash", "income"],
    "free": ["for free", "at no cost", "free of charge"],
    "girls": ["ladies", "women", "young women"],
    "ladies": ["girls", "women"],
    "young": ["yng", "younger"],
    "immediately": ["now", "right away", "asap"],
    "urgent": ["urgently", "asap", "fast"],
    "contact": ["call", "message", "text"],
    "call": ["ring", "phone", "contact"],
    "apply": ["send application", "write"],
    "travel": ["trip", "flights"],
    "tickets": ["flights", "ticket"],
    "accommodation": ["housing", "a room", "lodging"],
    "provided": ["given", "included", "offered"],
    "available": ["open", "free"],
    "hiring": ["recruiting", "looking for staff"],
    "documents": ["papers", "paperwork"],
    "abroad": ["overseas", "in another country"],
    "agency": ["company", "office"],
    "week": ["wk", "weekly"],
    "month": ["mth", "monthly"],
    "every": ["each", "per"],
    "friendly": ["nice", "good"],
    "high": ["big", "very good", "top"],
    "experience": ["exp", "skills"],
    "today": ["now", "this week"],
    "euro": ["eur", "euros", "€"],
}
HASHTAGS = ["#job", "#jobs", "#work", "#hiring", "#abroad", "#travel", "#money", "#visa", "#girls", "#now"]
EMOJI = ["💰", "✈️", "🏠", "❤️", "📞", "🔥", "✨", "👉", "💃", "🌍", "😍", "✅", "⭐"]
_KEYBOARD = "qwertyuiopasdfghjklzxcvbnm"
DRIFTING_SHARE = 0.6  # the other reposts keep the template's words, varying only its slots


@dataclass(frozen=True)
class PlantedTemplate:
    template_id: int
    sentences: tuple[str, ...]
    site_pool: tuple[str, ...]
    phone_pool: tuple[str, ...]


def _phone(rng: random.Random) -> str:
    digits = "".join(rng.choice("0123456789") for _ in range(7))
    style = rng.randrange(3)
    if style == 0:
        return f"+44 7{digits[:3]} {digits[3:]}0"
    if style == 1:
        return f"07{digits[:3]}-{digits[3:]}1"
    return f"(555) {digits[:3]}-{digits[3:]}"


def _template(template_id: int, rng: random.Random) -> PlantedTemplate:
    chosen = rng.sample(PHRASES, rng.randint(2, 4))
    own_words = " ".join(rng.sample(PSEUDO_WORDS, rng.randint(4, 9)))
    sentences = [
        rng.choice(OPENINGS),
        own_words,
        *chosen,
        rng.choice(PAY_LINES),
        rng.choice(CONTACT_LINES),
    ]
    rng.shuffle(sentences[1:-1])
    sites = tuple(f"site{rng.randrange(12)}.example" for _ in range(rng.randint(1, 3)))
    phones = tuple(_phone(rng) for _ in range(rng.randint(1, 4)))
    return PlantedTemplate(template_id, tuple(sentences), sites, phones)


def _fill(template: PlantedTemplate, rng: random.Random) -> str:
    sentences = list(template.sentences)
    if rng.random() < 0.3 and len(sentences) > 4:  # an author drops one sentence
        del sentences[rng.randrange(1, len(sentences) - 2)]
    if rng.random() < 0.3:  # or adds a word of their own
        sentences.insert(rng.randrange(len(sentences)), rng.choice(WORDS))
    text = ". ".join(sentences).format(
        job=rng.choice(JOBS),
        city=rng.choice(CITIES),
        pay=rng.choice([800, 1200, 1500, 2000, 2500, 3000, 4000]),
        period=rng.choice(["week", "month"]),
        name=rng.choice(FIRST_NAMES),
        phone=rng.choice(template.phone_pool),
    )
    return text.upper() if rng.random() < 0.05 else text.capitalize()


def _typo(word: str, rng: random.Random) -> str:
    position = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return word[: position - 1] + word[position] + word[position - 1] + word[position + 1 :]
    if kind == 1:
        return word[:position] + word[position + 1 :]
    if kind == 2:
        return word[:position] + word[position] + word[position:]
    return word[:position] + rng.choice(_KEYBOARD) + word[position + 1 :]


def _drift(text: str, rng: random.Random) -> str:
    """The ad as a reposter rewrites it: a few typos, synonyms and dropped words, maybe shuffled
    sentences, hashtags, emoji, shouting."""
    sentences = [sentence.strip().split() for sentence in text.split(".") if sentence.strip()]
    if rng.random() < 0.3 and len(sentences) > 2:
        rng.shuffle(sentences)
    places = [(s, w) for s, words in enumerate(sentences) for w in range(len(words))]
    edits = rng.sample(places, min(len(places), rng.randint(1, 6)))
    dropped = set()
    for s, w in edits:
        word = sentences[s][w]
        kind = rng.randrange(4)
        if kind == 0 and word.lower() in SYNONYMS:
            sentences[s][w] = rng.choice(SYNONYMS[word.lower()])
        elif kind <= 1 and len(word) >= 4 and word.isalpha():
            sentences[s][w] = _typo(word, rng)
        elif kind == 2 and not any(ch.isdigit() for ch in word):
            dropped.add((s, w))
        else:
            sentences[s][w] = word.upper()
    written = [
        " ".join(word for w, word in enumerate(words) if (s, w) not in dropped)
        for s, words in enumerate(sentences)
    ]
    written = [sentence for sentence in written if sentence]
    if rng.random() < 0.5:
        written.append(" ".join(rng.sample(HASHTAGS, rng.randint(1, 4))))
    if rng.random() < 0.5:
        for _ in range(rng.randint(1, 4)):
            at = rng.randrange(len(written))
            glue = "" if rng.random() < 0.5 else " "
            written[at] = written[at] + glue + rng.choice(EMOJI)
    text = rng.choice([". ", "! ", "\n", " - "]).join(written)
    return text.upper() if rng.random() < 0.05 else text


def _noise(rng: random.Random) -> str:
    length = rng.randint(12, 45)
    words = [rng.choice(NOISE_WORDS) for _ in range(length)]
    if rng.random() < 0.5:
        words.insert(rng.randrange(length), rng.choice(PHRASES))
    return " ".join(words).capitalize()


def generate(
    n: int, *, seed: int = 7, noise_share: float = 0.2, drift: bool = False
) -> Iterator[tuple[dict[str, object], int]]:
    """(ad record, planted template id or -1 for noise) for n ads; template sizes are heavy-tailed.

    ``drift``: reposts drift from their template (see the module's docstring).
    """
    rng = random.Random(seed)
    templated = int(n * (1 - noise_share))
    sizes: list[int] = []
    while sum(sizes) < templated:
        sizes.append(min(int(rng.paretovariate(1.2) * 8) + 2, 5000))
    sizes[-1] -= sum(sizes) - templated
    if sizes[-1] < 2:
        sizes[-2] += sizes.pop()
    labels = [t for t, size in enumerate(sizes) for _ in range(size)] + [-1] * (n - templated)
    rng.shuffle(labels)
    templates: dict[int, PlantedTemplate] = {}
    earlier: dict[int, list[str]] = {}  # undrifted ads of each template, to repost
    start = datetime(2024, 1, 1, tzinfo=UTC)
    for index, label in enumerate(labels):
        if label >= 0:
            template = templates.get(label) or templates.setdefault(label, _template(label, rng))
            text = _fill(template, rng)
            if drift:
                copies = earlier.setdefault(label, [])
                base = rng.choice(copies) if copies and rng.random() < 0.3 else text
                if len(copies) < 50:
                    copies.append(text)
                text = _drift(base, rng) if rng.random() < DRIFTING_SHARE else base
            site = rng.choice(template.site_pool)
            phones = [rng.choice(template.phone_pool)]
        else:
            text, site, phones = _noise(rng), f"site{rng.randrange(12)}.example", [_phone(rng)]
        posted = start + timedelta(minutes=rng.randrange(60 * 24 * 365))
        record = {
            "id": f"ad{index:07d}",
            "posted_at": posted.isoformat(),
            "text": text,
            "phones": phones,
            "location": rng.choice(CITIES),
            "site": site,
        }
        yield record, label


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, required=True, help=".jsonl or .csv")
    parser.add_argument("--truth", type=Path, help="CSV id,template_id (-1 = noise)")
    parser.add_argument("--drift", action="store_true", help="reposts drift from their template")
    args = parser.parse_args(argv)
    truth_rows = []
    with args.out.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out) if args.out.suffix == ".csv" else None
        if writer:
            writer.writerow(["id", "posted_at", "text", "site"])
        for record, label in generate(args.n, seed=args.seed, drift=args.drift):
            if writer:
                writer.writerow([record["id"], record["posted_at"], record["text"], record["site"]])
            else:
                out.write(json.dumps(record) + "\n")
            truth_rows.append((record["id"], label))
    if args.truth:
        with args.truth.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows([("id", "template_id"), *truth_rows])
    print(f"wrote {args.n} ads to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
