"""The starter courses: complete in three languages, the same quiz in each, and safe rendering."""

from __future__ import annotations

from typing import Any

import pytest

from safeguard.learning.package import PackageError, read_zip, validate, write_zip
from safeguard.learning.rendering import render_markdown
from safeguard.learning.selectors import starter_packages
from safeguard.learning.tests.conftest import small_course

AUDIENCES = ["educators", "frontline", "parents", "young_people"]


def answer_key(questions: list[dict[str, Any]]) -> list[tuple[str, str, list[tuple[str, bool]]]]:
    return [
        (q["id"], q["type"], [(o["id"], bool(o.get("correct"))) for o in q["options"]]) for q in questions
    ]


def test_four_complete_courses_one_per_audience_in_three_languages() -> None:
    packages = starter_packages()
    assert sorted(p["audience"] for p in packages) == AUDIENCES
    for package in packages:
        assert sorted(package["languages"]) == ["en", "es", "fr"], package["slug"]
        english = package["languages"]["en"]
        for code, language in package["languages"].items():
            assert len(language["lessons"]) == 5, (package["slug"], code)
            assert len(language["questions"]) == 10, (package["slug"], code)
            # The same questions with the same right answers in every language.
            assert answer_key(language["questions"]) == answer_key(english["questions"]), (
                package["slug"],
                code,
            )
            text = "\n".join(lesson["body"] for lesson in language["lessons"])
            assert "(/report/)" in text and "(/learn/hotlines/)" in text, (package["slug"], code)
        kinds = {q["type"] for q in english["questions"]}
        assert kinds == {"single", "multiple", "true_false", "ordering"}, package["slug"]


def test_a_package_survives_the_zip_round_trip() -> None:
    package = starter_packages()[0]
    assert read_zip(write_zip(package)) == package


def test_invalid_packages_say_what_to_fix() -> None:
    broken = small_course()
    broken["languages"]["en"]["questions"][1]["options"][0]["correct"] = False
    with pytest.raises(PackageError, match="question q2: exactly one correct option"):
        validate(broken)
    broken = small_course()
    del broken["languages"]["en"]["questions"][0]["options"][1]["feedback"]
    with pytest.raises(PackageError, match=r"every answer explains why \(feedback\)"):
        validate(broken)
    with pytest.raises(PackageError, match="not a zip archive"):
        read_zip(b"not a zip")


def test_lesson_markdown_is_rendered_without_raw_html_or_scripts() -> None:
    html = render_markdown(
        "# Title\n\n**bold** <script>alert(1)</script> <b onclick='x()'>b</b>\n\n"
        "[bad](javascript:alert(1)) [good](/report/) ![pic](https://evil.example/x.png) ![ok](/static/a.png)"
    )
    assert html == (
        "<h2>Title</h2>\n<p><strong>bold</strong>  b</p>\n"
        '<p><a rel="noopener noreferrer">bad</a> <a href="/report/" rel="noopener noreferrer">good</a> '
        '<img alt="pic"> <img alt="ok" src="/static/a.png"></p>'
    )
