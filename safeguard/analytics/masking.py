"""Masked forms of identifiers, for places where the kind matters but the value must not show.

Plain Python. A masked value keeps just enough to tell two identifiers apart at a glance
(the last digits of a phone, the domain of an e-mail), never enough to contact anyone.
"""

from __future__ import annotations

MASK = "•••"


def mask_value(kind: str, value: str) -> str:
    value = value.strip()
    if not value:
        return ""
    if kind == "phone":
        digits = "".join(c for c in value if c.isdigit())
        return f"{MASK}{digits[-3:]}" if len(digits) > 3 else MASK
    if kind == "email":
        local, _, domain = value.partition("@")
        return f"{local[:1]}{MASK}@{domain}" if domain else MASK
    if kind == "url":
        host = value.split("/", 1)[0]
        return f"{host}/{MASK}" if "/" in value else host
    if kind in ("handle", "plate"):
        return f"{value[:2]}{MASK}"
    if kind == "name":
        return " ".join(f"{part[:1].upper()}." for part in value.split()) or MASK
    # Domains and region codes are not personal data.
    return value
