"""The escalation package as a PDF, drawn with reportlab from the frozen package."""

from __future__ import annotations

import datetime as dt
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


@cache
def _fonts() -> tuple[str, str]:
    # DejaVu covers most scripts; Helvetica (Latin-1 only) is the fallback where it is missing.
    regular, bold = DEJAVU / "DejaVuSans.ttf", DEJAVU / "DejaVuSans-Bold.ttf"
    if regular.exists() and bold.exists():
        pdfmetrics.registerFont(TTFont("DejaVuSans", str(regular)))
        pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(bold)))
        return "DejaVuSans", "DejaVuSans-Bold"
    return "Helvetica", "Helvetica-Bold"


def _p(text: Any, style: ParagraphStyle) -> Paragraph:
    # Paragraph parses markup: escape everything reporters and staff wrote.
    return Paragraph(escape(str(text if text is not None else "")).replace("\n", "<br/>"), style)


def _moment(value: Any, zone: str) -> str:
    """An ISO 8601 time of the package as the sender reads it, with its zone and UTC offset."""
    try:
        moment = dt.datetime.fromisoformat(str(value))
        where = ZoneInfo(zone)
    except (TypeError, ValueError, ZoneInfoNotFoundError):
        return str(value or "")
    if moment.tzinfo is None:
        return moment.strftime("%Y-%m-%d %H:%M")
    local = moment.astimezone(where)
    offset = local.strftime("%z")
    return f"{local:%Y-%m-%d %H:%M} {local.tzname()} (UTC{offset[:3]}:{offset[3:]})"


def escalation_pdf(package: dict[str, Any]) -> bytes:
    regular, bold = _fonts()
    styles = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=styles["BodyText"], fontName=regular, fontSize=9.5, leading=12)
    heading = ParagraphStyle("heading", parent=styles["Heading2"], fontName=bold, fontSize=12, spaceBefore=8)
    title = ParagraphStyle("title", parent=styles["Title"], fontName=bold, fontSize=16)
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=f"Escalation {package.get('reference', '')}",
    )
    zone = str(package.get("time_zone") or "UTC")
    facts = [
        ("Reference", package.get("reference")),
        ("From", package.get("from_organisation")),
        ("To", package.get("to_organisation")),
        ("Escalated by", package.get("escalated_by")),
        ("Escalated at", _moment(package.get("escalated_at"), zone)),
        ("Received", _moment(package.get("received_at"), zone)),
        ("Channel", package.get("channel")),
        ("Urgency", package.get("urgency")),
        ("Child in danger now", package.get("child_in_danger") or "not answered"),
        (
            "Where",
            ", ".join(
                filter(
                    None, [package.get("place"), package.get("subdivision_name"), package.get("country_name")]
                )
            ),
        ),
        (
            "Map point",
            f"{package.get('latitude')}, {package.get('longitude')}" if package.get("latitude") else "—",
        ),
        ("When", package.get("occurred") or "—"),
    ]
    table = Table([[_p(label, body), _p(value, body)] for label, value in facts], colWidths=[40 * mm, None])
    table.setStyle(
        TableStyle([("GRID", (0, 0), (-1, -1), 0.25, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP")])
    )
    story: list[Any] = [
        _p("CONFIDENTIAL — Safeguard escalation package", body),
        _p(f"Escalation {package.get('reference', '')}", title),
        table,
        _p("Why it is escalated", heading),
        _p(package.get("summary"), body),
        _p("Urgency reasons", heading),
        *[_p(f"• {reason}", body) for reason in package.get("urgency_reasons", [])],
        _p("What happened", heading),
        _p(package.get("narrative"), body),
        _p("Children", heading),
    ]
    for child in package.get("children", []) or [{}]:
        story.append(
            _p(
                f"• age {child.get('age', '?')}, {child.get('gender') or '—'}: {child.get('description') or ''}",
                body,
            )
        )
    story.append(_p("Suspected people", heading))
    for suspect in package.get("suspects", []) or [{}]:
        story.append(_p(f"• {suspect.get('names') or '—'}: {suspect.get('description') or ''}", body))
    story.append(_p("Signs observed", heading))
    story += [_p(f"• {label}", body) for label in package.get("indicators", [])] or [_p("—", body)]
    story.append(_p("Kinds of exploitation (HTCDS)", heading))
    story.append(_p(", ".join(package.get("exploitation_types", [])) or "—", body))
    story.append(_p("Identifiers", heading))
    for row in package.get("identifiers", []):
        if row.get("parsed"):
            story.append(_p(f"• {row.get('kind')}: {row.get('value')} → {row.get('normalised')}", body))
        else:  # never presented as normalised
            story.append(
                _p(f"• {row.get('kind')}: {row.get('value')} (could not be verified; as reported)", body)
            )
    story.append(_p("Internal notes", heading))
    for note in package.get("notes", []):
        story.append(_p(f"{_moment(note.get('at'), zone)} — {note.get('author')}: {note.get('body')}", body))
    story.append(_p("Messages with the reporter", heading))
    for message in package.get("messages", []):
        story.append(
            _p(
                f"{_moment(message.get('at'), zone)} — {message.get('direction')}: {message.get('body')}",
                body,
            )
        )
    linked = package.get("linked_reports", {})
    story.append(_p("Linked reports", heading))
    story.append(_p("Duplicates: " + (", ".join(linked.get("duplicates", [])) or "—"), body))
    story.append(
        _p("Sharing identifiers: " + (", ".join(linked.get("sharing_identifiers", [])) or "—"), body)
    )
    contact = package.get("reporter_contact")
    story.append(_p("Reporter contact", heading))
    story.append(
        _p(
            ", ".join(f"{k}: {v}" for k, v in contact.items())
            if contact
            else "Not shared (no consent or none given).",
            body,
        )
    )
    story.append(Spacer(1, 6 * mm))
    document.build(story)
    return buffer.getvalue()
