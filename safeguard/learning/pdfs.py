"""The printable leaflet and the certificate, as PDF (reportlab, no network, no images of anyone)."""

from __future__ import annotations

import io
import re
from typing import Any
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

INK = HexColor("#1a1a1a")
ACCENT = HexColor("#0b5d8a")


def _inline(text: str) -> str:
    """Markdown bold and links as reportlab's mini-markup; everything else escaped."""
    text = escape(text)
    text = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", text)
    return re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r"\1", text)


def leaflet_pdf(
    *, title: str, lesson: dict[str, Any], report_url: str, hotlines_url: str, course_url: str
) -> bytes:
    """One A4 page: the first lesson, then where to report and where to learn more."""
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=1.6 * cm, rightMargin=1.6 * cm, topMargin=1.4 * cm, bottomMargin=1.2 * cm,
        title=title, author="Safeguard",
    )  # fmt: skip
    styles = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=styles["BodyText"], fontSize=9.5, leading=12, textColor=INK)
    bullet = ParagraphStyle("bullet", parent=body, leftIndent=10, bulletIndent=0)
    heading = ParagraphStyle(
        "heading", parent=styles["Heading2"], fontSize=12, textColor=ACCENT, spaceBefore=4
    )
    story: list[Any] = [
        Paragraph(escape(_("Learn the signs")), styles["Title"]),
        Paragraph(escape(title), heading),
        Paragraph(_inline(lesson["title"]), styles["Heading3"]),
    ]
    for line in lesson["body"].splitlines():
        stripped = line.strip().lstrip("> ").strip()
        if not stripped or stripped.startswith("|---"):
            continue
        if stripped.startswith("#"):
            story.append(Paragraph(_inline(stripped.lstrip("# ")), heading))
        elif re.match(r"^([-*]|\d+\.)\s", stripped):
            story.append(
                Paragraph(_inline(re.sub(r"^([-*]|\d+\.)\s+", "", stripped)), bullet, bulletText="•")
            )
        else:
            story.append(Paragraph(_inline(stripped.strip("|").replace("|", " – ")), body))
    story += [
        Spacer(1, 8),
        Paragraph(escape(_("If a child is in danger right now, call your local emergency number.")), heading),
        Paragraph(
            escape(_("Report a concern, anonymously if you wish: %(url)s") % {"url": report_url}), body
        ),
        Paragraph(escape(_("Hotlines and helplines by country: %(url)s") % {"url": hotlines_url}), body),
        Paragraph(escape(_("Take the whole free course: %(url)s") % {"url": course_url}), body),
    ]
    document.build(story)
    return buffer.getvalue()


def certificate_pdf(
    *, learner_name: str, course_title: str, issued_on: str, percent: str, code: str, verify_url: str
) -> bytes:
    """A landscape A4 certificate with its verification code and where to check it."""
    buffer = io.BytesIO()
    width, height = landscape(A4)
    page = canvas.Canvas(buffer, pagesize=(width, height))
    page.setTitle(_("Certificate"))
    page.setStrokeColor(ACCENT)
    page.setLineWidth(3)
    page.rect(1.2 * cm, 1.2 * cm, width - 2.4 * cm, height - 2.4 * cm)
    page.setFillColor(ACCENT)
    page.setFont("Helvetica-Bold", 30)
    page.drawCentredString(width / 2, height - 4.5 * cm, _("Certificate of completion"))
    page.setFillColor(INK)
    page.setFont("Helvetica", 14)
    page.drawCentredString(width / 2, height - 6.5 * cm, _("This certifies that"))
    page.setFont("Helvetica-Bold", 22)
    page.drawCentredString(width / 2, height - 8 * cm, learner_name)
    page.setFont("Helvetica", 14)
    page.drawCentredString(width / 2, height - 9.5 * cm, _("completed the course"))
    page.setFont("Helvetica-Bold", 16)
    page.drawCentredString(width / 2, height - 11 * cm, course_title[:90])
    page.setFont("Helvetica", 12)
    page.drawCentredString(
        width / 2,
        height - 12.5 * cm,
        _("on %(date)s with a quiz score of %(percent)s%%") % {"date": issued_on, "percent": percent},
    )
    page.setFont("Helvetica-Bold", 14)
    page.drawCentredString(width / 2, 4 * cm, _("Verification code: %(code)s") % {"code": code})
    page.setFont("Helvetica", 10)
    page.drawCentredString(width / 2, 3.2 * cm, _("Check it at %(url)s") % {"url": verify_url})
    page.showPage()
    page.save()
    return buffer.getvalue()
