"""Signs of recruitment fraud in ad text, by transparent rules in English, Spanish and French.

Each rule is data: a rule id shared across languages, a human-readable label, a language and a
regular expression. A flag names the rule and the exact phrase that triggered it, so an analyst
can see why an ad was flagged and a newcomer can add a rule by adding one line to ``RULES``.

The rules follow the child-specific and ILO indicators in DESIGN.md: promises of work or study
abroad, unrealistic pay, free travel or housing, no experience or documents needed, the agency
keeping passports, ages that target minors, and pressure to leave at once. A flag is a sign for a
human to weigh, never a verdict.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

__all__ = ["RULES", "Flag", "FraudRule", "flag_ad"]

Language = Literal["en", "es", "fr"]


@dataclass(frozen=True, slots=True)
class FraudRule:
    rule_id: str
    label: str
    language: Language
    pattern: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class Flag:
    """``text == ad[start:end]`` is the phrase that matched rule ``rule_id``."""

    rule_id: str
    label: str
    language: Language
    start: int
    end: int
    text: str


_LABELS = {
    "abroad_offer": "Work or study abroad offered",
    "high_pay": "Unrealistic pay promised",
    "free_travel": "Free travel or tickets offered",
    "free_housing": "Free housing or accommodation offered",
    "no_experience": "No experience needed",
    "no_documents": "No documents or papers needed",
    "documents_retained": "Agency keeps passport or documents",
    "targets_minors": "Age requirement that targets minors",
    "urgency": "Pressure to leave or decide at once",
}

# Shared fragments: an amount of money with an optional currency on either side.
_MONEY = r"(?:[$€£]\s?\d[\d.,\s]{0,12}\d|\d[\d.,\s]{0,12}\d\s?(?:k\b)?\s?(?:[$€£]|usd\b|euros?\b|eur\b|dollars?\b|d[oó]lares\b|pesos\b|gbp\b))"
_MINOR_AGE = r"1[0-7]"  # ages 10-17
_PEOPLE_EN = r"(?:girls?|boys?|teens?|teenagers?|young (?:women|girls|ladies|people)|models?|candidates?)"
_PEOPLE_ES = r"(?:chicas?|chicos?|niñas?|niños?|muchachas?|señoritas|jóvenes|jovenes|modelos?|adolescentes)"
_PEOPLE_FR = r"(?:filles?|jeunes filles|garçons?|jeunes|adolescent(?:e|es|s)?|mannequins?)"

# fmt: off
_RULE_TABLE: list[tuple[str, Language, str]] = [
    # Work or study abroad
    ("abroad_offer", "en", r"\b(?:work|jobs?|study|employment|positions?|opportunit(?:y|ies))\s+(?:\w+\s+){0,2}(?:abroad|overseas|in (?:europe|dubai|the (?:usa|uk|gulf)|canada|japan))\b"),
    ("abroad_offer", "es", r"\b(?:trabajo|trabajar|empleo|estudiar|estudios|oportunidad)\s+(?:\w+\s+){0,2}(?:en el extranjero|en el exterior|fuera del país|en (?:europa|españa|dubái|dubai|estados unidos|canadá|japón))"),
    ("abroad_offer", "fr", r"\b(?:travail(?:ler)?|emploi|poste|études|étudier|opportunité)\s+(?:\w+\s+){0,2}(?:à l'étranger|en (?:europe|france|espagne|amérique|angleterre)|au (?:canada|japon|qatar)|à dubaï|à dubai)"),
    # Unrealistic pay
    ("high_pay", "en", rf"\b(?:earn|make|salary|pay|paid|income)\b(?:\s+\w+){{0,3}}\s+{_MONEY}(?:\s*(?:per|a|/)\s*(?:week|day|month))?|\b(?:easy|quick|fast) money\b"),
    ("high_pay", "es", rf"\b(?:gana(?:r|s|rás)?|sueldo|salario|pago|ingresos?)\b(?:\s+\w+){{0,3}}\s+{_MONEY}(?:\s*(?:por|al|a la|/)\s*(?:semana|día|dia|mes))?|\bdinero (?:fácil|facil|rápido|rapido)\b"),
    ("high_pay", "fr", rf"\b(?:gagne[rz]?|salaire|payée?s?|rémunération|revenus?)\b(?:\s+\w+){{0,3}}\s+{_MONEY}(?:\s*(?:par|/)\s*(?:semaine|jour|mois))?|\bargent facile\b"),
    # Free travel
    ("free_travel", "en", r"\b(?:free|paid)\s+(?:air\s?)?(?:travel|tickets?|flights?|transport(?:ation)?|visa)\b|\b(?:we|agency|employer)\s+(?:pay|pays|cover|covers)\s+(?:for\s+)?(?:your\s+|the\s+)?(?:travel|tickets?|flights?|visa)\b"),
    ("free_travel", "es", r"\b(?:viaje|pasajes?|boletos?|billetes?|vuelos?|visa)\s+(?:\w+\s+)?(?:gratis|gratuitos?|pagados?|incluidos?)\b"),
    ("free_travel", "fr", r"\b(?:voyage|billets?(?: d'avion)?|vols?|transport|visa)\s+(?:\w+\s+)?(?:gratuits?|offerts?|payés?|pris en charge)\b"),
    # Free housing
    ("free_housing", "en", r"\b(?:free|paid)\s+(?:housing|accommodation|lodging|room|apartment|flat)(?:\s+and\s+(?:food|meals|board))?\b|\b(?:housing|accommodation|room and board)\s+(?:is\s+)?(?:free|included|provided)\b"),
    ("free_housing", "es", r"\b(?:alojamiento|vivienda|hospedaje|habitación|casa)\s+(?:y comida\s+)?(?:gratis|gratuit[oa]s?|incluid[oa]s?|pagad[oa]s?)\b"),
    ("free_housing", "fr", r"\b(?:logement|hébergement|chambre)\s+(?:et nourriture\s+)?(?:gratuits?|offerts?|fournis?|inclus|payés?)\b|\blogée?s?(?:\s+et)?\s+nourrie?s?\b"),
    # No experience
    ("no_experience", "en", r"\bno (?:prior |previous )?experience (?:needed|necessary|required)\b|\bexperience (?:is )?not (?:needed|necessary|required)\b"),
    ("no_experience", "es", r"\bsin experiencia(?: previa)?\b|\bno (?:se )?(?:necesita|requiere|hace falta) experiencia\b"),
    ("no_experience", "fr", r"\bsans expérience\b|\baucune expérience (?:requise|nécessaire|exigée)\b|\bpas besoin d'expérience\b"),
    # No documents
    ("no_documents", "en", r"\bno (?:passport|papers|documents|visa|id|work permit)s? (?:needed|necessary|required)\b|\b(?:passport|papers|documents) not (?:needed|required)\b"),
    ("no_documents", "es", r"\bsin (?:papeles|documentos|pasaporte|visa)\b|\bno (?:se )?(?:necesita|requiere)n? (?:papeles|documentos|pasaporte|visa)\b"),
    ("no_documents", "fr", r"\bsans (?:papiers|documents|passeport|visa)\b|\bpas besoin de (?:papiers|documents|passeport|visa)\b"),
    # Agency keeps documents
    ("documents_retained", "en", r"\b(?:we|agency|employer|agent|boss)\s+(?:will\s+)?(?:keep|keeps|hold|holds|take|takes)\s+(?:your\s+|the\s+)?(?:passport|documents|papers|id)s?\b|\b(?:hand over|give us|surrender)\s+(?:your\s+)?(?:passport|documents|papers|id)s?\b"),
    ("documents_retained", "es", r"\b(?:la agencia|el agente|el patrón|nosotros)\s+(?:se\s+)?(?:guarda|guardamos|retiene|retenemos|queda con|quedamos con)\s+(?:tu\s+|su\s+|el\s+|los\s+)?(?:pasaporte|documentos|papeles)\b|\bentregar (?:tu\s+|su\s+|el\s+)?(?:pasaporte|documentos)\b"),
    ("documents_retained", "fr", r"\b(?:l'agence|l'employeur|le patron|nous)\s+(?:garde|gardons|conserve|conservons|retient|retenons)\s+(?:votre\s+|ton\s+|le\s+|les\s+|vos\s+|tes\s+)?(?:passeport|papiers|documents)\b|\bremettre (?:votre\s+|ton\s+)?(?:passeport|papiers)\b"),
    # Ages that target minors
    ("targets_minors", "en", rf"\b{_PEOPLE_EN}\s+(?:aged?\s+)?{_MINOR_AGE}\s*(?:-|–|to)\s*{_MINOR_AGE}\b|\b(?:aged?|ages)\s+{_MINOR_AGE}\s*(?:-|–|to)\s*(?:{_MINOR_AGE}|18)\b|\b{_MINOR_AGE}\s*\+|\b(?:from|over|aged?)\s+{_MINOR_AGE}\s+(?:years?(?: old)?|and (?:up|over))\b|\bunder\s?(?:-\s?)?18s?\b|\bminors? (?:welcome|accepted|ok)\b"),
    ("targets_minors", "es", rf"\b{_PEOPLE_ES}\s+(?:de\s+)?{_MINOR_AGE}\s*(?:-|–|a)\s*{_MINOR_AGE}(?:\s*años)?\b|\b(?:desde|a partir de|mayores de)\s+(?:los\s+)?{_MINOR_AGE}\s+años\b|\bmenores(?: de edad)?\b|\bde {_MINOR_AGE}\s*(?:a|-)\s*{_MINOR_AGE} años\b"),
    ("targets_minors", "fr", rf"\b{_PEOPLE_FR}\s+(?:de\s+)?{_MINOR_AGE}\s*(?:-|–|à)\s*{_MINOR_AGE}(?:\s*ans)?\b|\b(?:dès|à partir de|plus de)\s+{_MINOR_AGE}\s+ans\b|\bmineure?s?\b|\bde {_MINOR_AGE}\s*(?:à|-)\s*{_MINOR_AGE} ans\b"),
    # Urgency
    ("urgency", "en", r"\b(?:leave|travel|depart|start)\s+(?:this|next)\s+week\b|\b(?:urgent(?:ly)?|immediate (?:departure|start)|leave (?:immediately|now|tomorrow)|limited places|apply (?:today|now) only)\b"),
    ("urgency", "es", r"\b(?:urgente|urge|salida inmediata|viaje inmediato|(?:sal(?:ir|es|ida)|viaja(?:r|s)?)\s+(?:esta|la próxima)\s+semana|cupos limitados|plazas limitadas)\b"),
    ("urgency", "fr", r"\b(?:urgent|départ immédiat|départ (?:cette|la semaine prochaine)(?: semaine)?|partir (?:cette semaine|demain|tout de suite)|places limitées)\b"),
]
# fmt: on

RULES: tuple[FraudRule, ...] = tuple(
    FraudRule(rule_id, _LABELS[rule_id], language, re.compile(pattern, re.IGNORECASE))
    for rule_id, language, pattern in _RULE_TABLE
)


def flag_ad(text: str) -> list[Flag]:
    """Every rule match in an ad, in text order (ties by rule id, then language).

    Guarantees: ``flag.text == text[flag.start:flag.end]``; each rule contributes one flag per
    non-overlapping match; rules of all three languages are tried, because ads mix languages, and
    a span matched by one rule in two languages is flagged once (English before Spanish before
    French).
    """
    flags = [
        Flag(rule.rule_id, rule.label, rule.language, match.start(), match.end(), match.group())
        for rule in RULES
        for match in rule.pattern.finditer(text)
    ]
    flags.sort(key=lambda flag: (flag.start, flag.rule_id, flag.language))
    # A word shared by two languages ("urgent") flags its span once, under the first language.
    return list({(flag.rule_id, flag.start, flag.end): flag for flag in reversed(flags)}.values())[::-1]
