"""The USSD menu version of the conversation (Africa's Talking's USSD API).

USSD is a live session: each request carries every answer so far in ``text`` (joined by ``*``)
and must be answered at once with the next screen, ``CON …`` to go on or ``END …`` to finish,
in at most 182 characters. The screens are computed from the answers alone; the report is filed
at the last one, once per session (a repeated last request shows the reference again).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from safeguard.core.picklists import ExploitationType
from safeguard.directory.selectors import hotlines_for_country
from safeguard.intake.channels.conversation import (
    LANGUAGES,
    SKIP_WORDS,
    parse_danger,
    parse_identifiers,
    plain,
)
from safeguard.intake.choices import Danger

MAX_LENGTH = 182

# The menu of what is happening: (label, exploitation type).
KINDS = [
    ("labour", ExploitationType.CHILD_LABOUR),
    ("sexual", ExploitationType.SEXUAL_EXPLOITATION),
    ("begging", ExploitationType.FORCED_BEGGING),
    ("marriage", ExploitationType.FORCED_MARRIAGE),
    ("other", ""),
]


def _kind_label(kind: str) -> str:
    return {
        "labour": _("Child labour"),
        "sexual": _("Sexual exploitation"),
        "begging": _("Forced begging"),
        "marriage": _("Forced marriage"),
        "other": _("Something else"),
    }[kind]


@dataclass
class Screen:
    text: str
    end: bool = False
    answers: dict[str, Any] = field(default_factory=dict)  # complete when ``submit`` is True
    submit: bool = False

    @property
    def response(self) -> str:
        return ("END " if self.end else "CON ") + self.text


def _fit(text: str) -> str:
    room = MAX_LENGTH - 4  # "CON " / "END "
    return text if len(text) <= room else text[: room - 1] + "…"


def screen(parts: list[str], *, languages: list[str], country: str) -> Screen:
    """The next screen after the answers ``parts`` (the session's ``text`` split on ``*``)."""
    answers: list[str] = list(parts)
    if len(languages) == 1:
        language = languages[0]
    else:
        if not answers:
            return Screen(
                "Safeguard\n" + "\n".join(f"{n} {LANGUAGES[c]}" for n, c in enumerate(languages, 1))
            )
        choice = answers.pop(0).strip()
        if not choice.isdigit() or not 1 <= int(choice) <= len(languages):
            return Screen(
                "Safeguard\n" + "\n".join(f"{n} {LANGUAGES[c]}" for n, c in enumerate(languages, 1))
            )
        language = languages[int(choice) - 1]
    with translation.override(language):
        return _screen(answers, language=language, country=country)


def _screen(answers: list[str], *, language: str, country: str) -> Screen:
    result: dict[str, Any] = {"language": language}
    # 1. What is happening (a menu).
    if not answers:
        menu = "\n".join(f"{n} {_kind_label(kind)}" for n, (kind, _type) in enumerate(KINDS, 1))
        return Screen(
            _fit(
                _("What is happening to a child?") + "\n" + menu + "\n" + _("Your network knows your number.")
            )
        )
    choice = answers.pop(0).strip()
    if not choice.isdigit() or not 1 <= int(choice) <= len(KINDS):
        return Screen(_("Please choose a number from the menu."), end=True)
    kind, exploitation = KINDS[int(choice) - 1]
    result["narrative"] = _("USSD report: %(kind)s") % {"kind": _kind_label(kind)}
    result["exploitation_types"] = [exploitation] if exploitation else []
    # 2. Country, unless the channel serves one.
    if country:
        result["country"] = country
    else:
        if not answers:
            return Screen(_("Country: type its two-letter code (for example KE)."))
        code = answers.pop(0).strip().upper()
        from safeguard.core.geography import is_country

        if not is_country(code):
            return Screen(_("We did not recognise that country code."), end=True)
        result["country"] = code
    # 3. Town.
    if not answers:
        return Screen(_("Town or place? (0 if you do not know)"))
    town = answers.pop(0).strip()
    result["place"] = "" if plain(town) in SKIP_WORDS else town[:200]
    # 4. Danger now.
    if not answers:
        return Screen(
            _("Is a child in danger now?") + "\n1 " + _("Yes") + "\n2 " + _("No") + "\n3 " + _("Not sure")
        )
    danger = parse_danger(answers.pop(0))
    if not danger:
        return Screen(_("Please choose a number from the menu."), end=True)
    result["child_in_danger"] = danger
    # 5. Identifiers, with the emergency numbers first when a child is in danger.
    if not answers:
        prompt = _("Phone numbers of the people involved? (0 to skip)")
        if danger == Danger.YES:
            numbers = [h.phone for h in hotlines_for_country(result["country"]) if h.phone][:2]
            urgent = (
                _("Call %(numbers)s now.") % {"numbers": " / ".join(numbers)}
                if numbers
                else _("Call your emergency number now.")
            )
            prompt = urgent + "\n" + prompt
        return Screen(_fit(prompt))
    typed = answers.pop(0)
    result["identifiers"] = [] if plain(typed) in SKIP_WORDS else parse_identifiers(typed)
    return Screen("", end=True, answers=result, submit=True)


def receipt_screen(reference: str, receipt: str) -> Screen:
    return Screen(
        _fit(
            _("Report sent: %(reference)s. Receipt: %(receipt)s. Keep it secret, it is shown once.")
            % {"reference": reference, "receipt": receipt}
        ),
        end=True,
    )


def already_screen(reference: str) -> Screen:
    return Screen(_fit(_("Your report %(reference)s was received.") % {"reference": reference}), end=True)
