"""The printable leaflet and the certificate, as PDF drawn from templates in the reader's language
and script (see `safeguard.core.pdf`); no network, no images of anyone."""

from __future__ import annotations

from typing import Any

from django.utils.safestring import SafeString

from safeguard.core.pdf import render_pdf
from safeguard.core.templatetags.localised import ltr_in_pdf
from safeguard.learning.rendering import render_markdown


def leaflet_pdf(
    *, title: str, lesson: dict[str, Any], report_url: str, hotlines_url: str, course_url: str
) -> bytes:
    """One A4 page: the first lesson, then where to report and where to learn more."""
    return render_pdf(
        "learning/pdf/leaflet.html",
        {
            "title": title,
            "lesson_title": lesson["title"],
            "lesson_body": SafeString(render_markdown(lesson["body"])),
            "report_url": ltr_in_pdf(report_url),
            "hotlines_url": ltr_in_pdf(hotlines_url),
            "course_url": ltr_in_pdf(course_url),
        },
    )


def certificate_pdf(
    *, learner_name: str, course_title: str, issued_on: str, percent: str, code: str, verify_url: str
) -> bytes:
    """A landscape A4 certificate with its verification code and where to check it."""
    return render_pdf(
        "learning/pdf/certificate.html",
        {
            "learner_name": learner_name,
            "course_title": course_title,
            "issued_on": issued_on,
            "percent": percent,
            "code_shown": ltr_in_pdf(code),
            "verify_shown": ltr_in_pdf(verify_url),
        },
    )
