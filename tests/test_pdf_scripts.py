"""The PDFs read in every language Safeguard offers: each script is drawn with a font that has its
letters (no .notdef box anywhere), the document says its language, and a page renders to an image
under artifacts/pdf/ for people to look at."""

from __future__ import annotations

import io
import logging
from pathlib import Path
from typing import Any, cast

import pypdf
import pypdfium2
import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext
from pypdf.generic import DictionaryObject

from safeguard.intake.pdf import escalation_pdf
from safeguard.learning.pdfs import certificate_pdf

PAGES = Path(__file__).resolve().parents[1] / "artifacts" / "pdf"
# The font family each script needs; Latin, Cyrillic and Greek are in Noto Sans itself.
FONT_FOR_SCRIPT = {
    "ar": "Arabic", "fa": "Arabic", "ur": "Arabic", "hi": "Devanagari", "bn": "Bengali",
    "th": "Thai", "zh-hans": "CJK",
}  # fmt: skip
# A name as a learner might type it, in the language's script (fictional).
NAMES = {
    "ar": "ليلى حسن", "fa": "مریم رضایی", "ur": "عائشہ خان", "hi": "अनन्या शर्मा", "bn": "অনন্যা দাস",
    "th": "สมศรี ใจดี", "zh-hans": "李明", "ru": "Анна Петрова", "uk": "Олена Коваль",
}  # fmt: skip


def _package(language: str) -> dict[str, Any]:
    """A frozen escalation package as the service makes it, its free text in the reader's script."""
    return {
        "reference": "SG-TEST0001",
        "from_organisation": "Alpha Helpline",
        "to_organisation": "Gamma Police",
        "escalated_by": NAMES.get(language, "Bob Operator"),
        "escalated_at": "2026-12-03T10:15:00+00:00",
        "received_at": "2026-12-03T09:00:00+00:00",
        "time_zone": "Asia/Dubai",
        "channel": "web",
        "urgency": "critical",
        "child_in_danger": "yes",
        "place": NAMES.get(language, "Springfield"),
        "summary": gettext("Tell us what happened; a few words are enough."),
        "narrative": gettext("In your own words: what you saw or heard, and what worries you."),
        "urgency_reasons": [gettext("The reporter says a child is in danger right now")],
        "children": [
            {"age": 12, "gender": "Feminine", "description": gettext("A child is not going to school")}
        ],
        "identifiers": [
            {"kind": "phone", "value": "+34 612 345 678", "parsed": True, "normalised": "+34612345678"}
        ],
        "exploitation_types": ["ForcedLabour"],
        "reporter_contact": {},
    }


def _fonts_and_missing_glyphs(pdf: bytes, caplog: pytest.LogCaptureFixture) -> tuple[set[str], list[str]]:
    fonts = set()
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        resources = cast(DictionaryObject, page["/Resources"])
        for font in cast(DictionaryObject, resources["/Font"]).values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    # WeasyPrint draws a character no font has as .notdef, and says so.
    missing = [record.getMessage() for record in caplog.records if ".notdef" in record.getMessage()]
    return fonts, missing


def _save_first_page(pdf: bytes, name: str) -> Path:
    PAGES.mkdir(parents=True, exist_ok=True)
    path = PAGES / f"{name}.png"
    pypdfium2.PdfDocument(pdf)[0].render(scale=1).to_pil().save(path)
    return path


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_the_escalation_package_and_the_certificate_draw_every_letter(
    language: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="weasyprint")
    with translation.override(language):
        documents = {
            "escalation": escalation_pdf(_package(language)),
            "certificate": certificate_pdf(
                learner_name=NAMES.get(language, "Alex Learner"),
                course_title=gettext("Learn the signs"),
                issued_on="2026-12-03",
                percent="90",
                code="ABCD-EFGH-2345",
                verify_url="https://safeguard.example/learn/verify/ABCD-EFGH-2345",
            ),
        }
    for kind, pdf in documents.items():
        caplog.clear()
        assert pypdf.PdfReader(io.BytesIO(pdf)).root_object["/Lang"] == language
        fonts, missing = _fonts_and_missing_glyphs(pdf, caplog)
        assert missing == [], kind
        assert any(FONT_FOR_SCRIPT.get(language, "Noto-Sans") in font.replace(" ", "-") for font in fonts), (
            fonts
        )
        image = _save_first_page(pdf, f"{kind}-{language}")
        if kind == "escalation":  # in right-to-left text too, a phone number reads in its own order
            text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
            assert "+34 612 345 678 → +34612345678" in text
        assert image.stat().st_size > 5_000  # a page with text on it, not a blank one


def test_a_character_no_font_has_is_caught(caplog: pytest.LogCaptureFixture) -> None:
    """The check above would see a missing letter: a private-use character has no glyph anywhere."""
    caplog.set_level(logging.WARNING, logger="weasyprint")
    pdf = certificate_pdf(
        learner_name="\ue000", course_title="x", issued_on="x", percent="1", code="x", verify_url="x"
    )
    assert _fonts_and_missing_glyphs(pdf, caplog)[1] != []
