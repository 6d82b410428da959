"""Recruitment-fraud signs: every rule in every language, with the exact phrase it flags."""

from __future__ import annotations

import time

import pytest

from safeguard.analytics.fraudsigns import RULES, Flag, Language, flag_ad

# (rule id, language, ad text, the exact phrase that must be flagged)
EXAMPLES = [
    ("abroad_offer", "en", "Great work abroad for young women.", "work abroad"),
    ("abroad_offer", "en", "Hostess jobs in Dubai, apply now", "jobs in Dubai"),
    ("abroad_offer", "es", "Ofrecemos trabajo en el extranjero para chicas", "trabajo en el extranjero"),
    ("abroad_offer", "es", "Empleo bien pagado en España", "Empleo bien pagado en España"),
    ("abroad_offer", "fr", "Offre de travail à l'étranger bien payé", "travail à l'étranger"),
    ("abroad_offer", "fr", "Un emploi au Canada pour toi", "emploi au Canada"),
    ("high_pay", "en", "You will earn $3,000 per week as a waitress", "earn $3,000 per week"),
    ("high_pay", "en", "Easy money for girls", "Easy money"),
    ("high_pay", "es", "Podrás ganar 2000 euros al mes", "ganar 2000 euros al mes"),
    ("high_pay", "es", "dinero fácil y rápido", "dinero fácil"),
    ("high_pay", "fr", "Gagnez 3000 € par mois facilement", "Gagnez 3000 € par mois"),
    ("high_pay", "fr", "de l'argent facile", "argent facile"),
    ("free_travel", "en", "Free flights and visa included", "Free flights"),
    ("free_travel", "en", "The agency pays for your tickets", "agency pays for your tickets"),
    ("free_travel", "es", "Pasajes gratis para todas", "Pasajes gratis"),
    ("free_travel", "fr", "Billets d'avion offerts !", "Billets d'avion offerts"),
    ("free_housing", "en", "with free accommodation and food", "free accommodation and food"),
    ("free_housing", "en", "Housing is provided by us", "Housing is provided"),
    ("free_housing", "es", "Alojamiento y comida gratis", "Alojamiento y comida gratis"),
    ("free_housing", "fr", "Logement gratuit pendant le contrat", "Logement gratuit"),
    ("free_housing", "fr", "vous serez logée et nourrie", "logée et nourrie"),
    ("no_experience", "en", "No experience needed!", "No experience needed"),
    ("no_experience", "es", "Sin experiencia previa", "Sin experiencia previa"),
    ("no_experience", "fr", "Aucune expérience requise", "Aucune expérience requise"),
    ("no_documents", "en", "no passport needed to apply", "no passport needed"),
    ("no_documents", "es", "no se necesitan papeles", "no se necesitan papeles"),
    ("no_documents", "es", "Puedes viajar sin papeles", "sin papeles"),
    ("no_documents", "fr", "pas besoin de passeport", "pas besoin de passeport"),
    ("documents_retained", "en", "The agency keeps your passport for safety", "agency keeps your passport"),
    ("documents_retained", "en", "On arrival hand over your documents", "hand over your documents"),
    ("documents_retained", "es", "La agencia guarda tu pasaporte", "La agencia guarda tu pasaporte"),
    ("documents_retained", "fr", "L'agence garde votre passeport", "L'agence garde votre passeport"),
    ("targets_minors", "en", "Looking for girls 14-17", "girls 14-17"),
    ("targets_minors", "en", "Models 16+ welcome", "16+"),
    ("targets_minors", "en", "candidates aged 15 to 18", "aged 15 to 18"),
    ("targets_minors", "en", "under-18s accepted", "under-18s"),
    ("targets_minors", "es", "Buscamos chicas de 15 a 17 años", "chicas de 15 a 17 años"),
    ("targets_minors", "es", "Aceptamos menores", "menores"),
    ("targets_minors", "es", "desde 16 años", "desde 16 años"),
    ("targets_minors", "fr", "Filles de 15 à 17 ans", "Filles de 15 à 17 ans"),
    ("targets_minors", "fr", "mineures acceptées", "mineures"),
    ("targets_minors", "fr", "dès 16 ans", "dès 16 ans"),
    ("urgency", "en", "You must leave this week", "leave this week"),
    ("urgency", "en", "Immediate departure guaranteed", "Immediate departure"),
    ("urgency", "es", "¡Urgente! salida inmediata", "Urgente"),
    ("urgency", "es", "¡Urgente! salida inmediata", "salida inmediata"),
    ("urgency", "fr", "Départ immédiat, places limitées", "Départ immédiat"),
    ("urgency", "fr", "Départ immédiat, places limitées", "places limitées"),
]


@pytest.mark.parametrize(("rule_id", "language", "ad", "phrase"), EXAMPLES)
def test_each_rule_flags_the_exact_phrase(rule_id: str, language: Language, ad: str, phrase: str) -> None:
    start = ad.index(phrase)
    expected = Flag(rule_id, _label(rule_id), language, start, start + len(phrase), phrase)
    assert expected in flag_ad(ad)


def _label(rule_id: str) -> str:
    return next(rule.label for rule in RULES if rule.rule_id == rule_id)


def test_every_rule_of_every_language_has_an_example() -> None:
    assert {(rule.rule_id, rule.language) for rule in RULES} == {(r, lang) for r, lang, _, _ in EXAMPLES}


def test_a_full_ad_is_flagged_in_text_order() -> None:
    ad = "URGENT: work abroad, earn $3,000 per week. Girls 16+. The agency keeps your passport."
    assert [(flag.rule_id, flag.text) for flag in flag_ad(ad)] == [
        ("urgency", "URGENT"),
        ("abroad_offer", "work abroad"),
        ("high_pay", "earn $3,000 per week"),
        ("targets_minors", "16+"),
        ("documents_retained", "agency keeps your passport"),
    ]


def test_a_word_shared_by_two_languages_is_flagged_once() -> None:
    assert [(f.rule_id, f.language, f.text) for f in flag_ad("urgent")] == [("urgency", "en", "urgent")]


@pytest.mark.parametrize(
    "ad",
    [
        "Experienced accountant wanted in our Leeds office, salary according to experience.",
        "Se busca cocinero con experiencia, contrato indefinido en Madrid.",
        "Adults 18+ only. Passport required. Start date in three months.",
        "Nous recrutons un chauffeur, permis B exigé, expérience de 2 ans.",
    ],
)
def test_ordinary_job_ads_raise_no_flags(ad: str) -> None:
    assert flag_ad(ad) == []


def test_every_flag_span_matches_the_ad() -> None:
    ad = "Trabajo en el extranjero, pasajes gratis, sin experiencia, chicas de 15 a 17 años, urgente"
    for flag in flag_ad(ad):
        assert ad[flag.start : flag.end] == flag.text


def test_a_long_run_of_digits_is_read_in_linear_time() -> None:
    started = time.perf_counter()
    flag_ad("earn $" + "1," * 5000 + " per week")
    assert time.perf_counter() - started < 2.0
