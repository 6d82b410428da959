"""The escalation package as a PDF, in the reader's language, drawn from the frozen package."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db.models import Choices

from safeguard.core.pdf import render_pdf
from safeguard.intake.choices import Channel, Danger, Gender, IdentifierKind, Urgency
from safeguard.intake.labels import exploitation_labels
from safeguard.intake.models import ReportMessage


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


def _label(choices: type[Choices], value: Any) -> str:
    """A stored code's label in the active language; a code this version does not know, as is."""
    return str(dict(choices.choices).get(value, value or "—"))


def package_for_reading(package: dict[str, Any]) -> dict[str, Any]:
    """The frozen package with its codes as labels and its times in the sender's zone, for a page
    or a PDF in the reader's language (the package itself keeps the codes)."""
    zone = str(package.get("time_zone") or "UTC")
    urgency = str(package.get("urgency") or "")
    return {
        **package,
        "urgency_label": Urgency[urgency.upper()].label if urgency.upper() in Urgency.names else urgency,
        "channel_label": _label(Channel, package.get("channel")),
        "exploitation_labels": exploitation_labels(package.get("exploitation_types") or []),
        "child_in_danger_label": _label(Danger, package.get("child_in_danger")),
        "escalated_at_local": _moment(package.get("escalated_at"), zone),
        "received_at_local": _moment(package.get("received_at"), zone),
        "where": ", ".join(
            filter(None, [package.get("place"), package.get("subdivision_name"), package.get("country_name")])
        ),
        "children": [
            {**child, "gender_label": _label(Gender, child.get("gender"))}
            for child in package.get("children") or []
        ],
        "identifiers": [
            {**row, "kind_label": _label(IdentifierKind, row.get("kind"))}
            for row in package.get("identifiers") or []
        ],
        "notes": [{**note, "at_local": _moment(note.get("at"), zone)} for note in package.get("notes") or []],
        "messages": [
            {
                **message,
                "at_local": _moment(message.get("at"), zone),
                "direction_label": _label(ReportMessage.Direction, message.get("direction")),
            }
            for message in package.get("messages") or []
        ],
    }


def escalation_pdf(package: dict[str, Any]) -> bytes:
    return render_pdf("intake/escalation_package_pdf.html", {"package": package_for_reading(package)})
