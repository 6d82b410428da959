"""Right-to-left languages: the page direction follows the language, the stylesheet uses logical
properties only, and numbers stay left to right inside right-to-left text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.test import Client

ROOT = Path(__file__).resolve().parents[1] / "safeguard"
# A physical side in a property name or value: margin-left, padding-right, border-left, left: …,
# text-align: right, float: left. Logical properties (inline-start/-end) read both ways.
PHYSICAL = re.compile(
    r"(?:margin|padding|border)-(?:left|right)\b|(?<![-\w])(?:left|right)\s*:|"
    r"text-align:\s*(?:left|right)|float:\s*(?:left|right)"
)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "direction"), [("ar", "rtl"), ("fa", "rtl"), ("en", "ltr"), ("fr", "ltr")]
)
def test_the_page_direction_follows_the_language(language: str, direction: str) -> None:
    page = Client().get("/report/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f'<html lang="{language}" dir="{direction}">' in page


@pytest.mark.django_db
def test_the_public_form_reads_in_arabic_and_persian_and_lists_languages_by_their_own_names() -> None:
    arabic = Client().get("/report/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    persian = Client().get("/report/", HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    assert "Is a child in danger right now?" not in arabic
    assert "Is a child in danger right now?" not in persian
    for name in ("English", "Español", "Français", "العربيّة", "فارسی"):
        assert f">{name}</option>" in arabic


def test_the_stylesheets_use_logical_properties_only() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sorted((ROOT / "static").rglob("*.css"))
        if "vendor" not in path.parts
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if PHYSICAL.search(line)
    ]
    assert found == []


def test_phone_numbers_stay_left_to_right() -> None:
    rendered = Template("{% load localised %}{{ phone|ltr }}").render(Context({"phone": "+44 <7700> 900123"}))
    assert rendered == '<bdi dir="ltr">+44 &lt;7700&gt; 900123</bdi>'
    assert Template("{% load localised %}{{ phone|ltr }}").render(Context({"phone": ""})) == ""
