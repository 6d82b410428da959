"""The dialogue that takes a report by SMS, WhatsApp, Telegram or a generic gateway.

language → what happened → country → town → is a child in danger now (emergency numbers at
once if yes) → optional identifiers → the report and its receipt. STOP, HELP and RESTART are
understood in English, Spanish and French at every step, STOP in every offered language too; after the report, what the reporter
writes is added to it (follow-up), and a receipt code sent later reopens its report.

``reply_to`` changes the conversation (and files the report) and returns the answers to send,
each in the reporter's language. It runs in the background task, under the conversation's lock.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from safeguard.core.geography import country_choices, country_name, is_country
from safeguard.directory.selectors import hotlines_for_country
from safeguard.intake import receipts
from safeguard.intake.channels.models import Conversation, ConversationState
from safeguard.intake.choices import Danger

# Each offered language by its own name, as a reporter picks it by replying with a number or the name.
LANGUAGES = {code: translation.get_language_info(code)["name_local"] for code, _name in settings.LANGUAGES}

# Keywords, understood whatever language was chosen (accents and case ignored).
STOP_WORDS = {"stop", "parar", "alto", "basta", "arret", "arreter", "stopper"}
# STOP in each other offered language too (the messages say STOP, which is understood everywhere),
# as ``plain`` leaves them: it drops the combining marks of Devanagari, Bengali and Thai as well.
LOCAL_STOP_WORDS = [
    "pare", "стоп", "хватит", "досить", "berhenti", "acha", "dừng", "หยุด", "停止", "停", "रुको",
    "बंद करो", "থামুন", "থামো", "توقف", "ایست", "رکیں", "بند کرو",
]  # fmt: skip
HELP_WORDS = {"help", "ayuda", "aide", "info"}
RESTART_WORDS = {"restart", "reiniciar", "empezar", "recommencer", "reprendre", "start"}
SKIP_WORDS = {"0", "no", "non", "none", "ninguno", "aucun", "skip"}
YES_WORDS = {"1", "yes", "y", "si", "s", "oui", "o"}
NO_WORDS = {"2", "no", "n", "non"}
UNSURE_WORDS = {"3", "unsure", "not sure", "no se", "je ne sais pas", "nse", "?"}

HANDLE = re.compile(r"(?<![\w@])@[\w.]{2,}")
PHONE = re.compile(r"\+?\d[\d \-().]{4,}\d")
RECEIPT = re.compile(r"^[0-9a-z]{4}(?:[- ]?[0-9a-z]{4}){5}$", re.IGNORECASE)


def looks_like_receipt(text: str) -> bool:
    """A message that is a receipt code and nothing else (not a sentence of the same length)."""
    return bool(RECEIPT.match(text.strip())) and receipts.split(text) is not None


def plain(text: str) -> str:
    """Lower case, no accents, single spaces: how keywords and answers are compared."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).split())


STOP_WORDS |= {plain(word) for word in LOCAL_STOP_WORDS}


def language_menu(languages: list[str]) -> str:
    return "Safeguard: " + " · ".join(f"{n} {LANGUAGES[code]}" for n, code in enumerate(languages, 1))


def choose_language(text: str, languages: list[str]) -> str | None:
    answer = plain(text)
    for number, code in enumerate(languages, 1):
        if answer in {str(number), code, plain(LANGUAGES[code])}:
            return code
    return None


def privacy_note() -> str:
    return _(
        "Your phone company or messaging service knows your number. We keep it encrypted and use it "
        "only to answer you here. To report with full anonymity, use the web form %(url)s (it also "
        "works over Tor)."
    ) % {"url": settings.CHANNEL_PUBLIC_FORM_URL}


def help_text() -> str:
    return _(
        "Safeguard takes reports about children at risk. Reply RESTART to begin again or STOP to end. "
        "To follow up on a report, send its receipt code."
    )


def ask_narrative() -> str:
    return _("What happened? Tell us in your own words, in one message.")


def ask_country() -> str:
    return _("In which country? Reply with its name or its two-letter code (for example ES).")


def ask_town() -> str:
    return _("In which town or place? Reply 0 if you do not know.")


def ask_danger() -> str:
    return _("Is a child in danger right now? Reply 1 for yes, 2 for no, 3 if you are not sure.")


def ask_identifiers() -> str:
    return _(
        "Optional: phone numbers or social-media handles (@name) of the people involved, separated by "
        "spaces. Reply 0 to skip."
    )


def emergency_numbers(country: str) -> str:
    numbers = [
        f"{hotline.name} {hotline.phone}" for hotline in hotlines_for_country(country) if hotline.phone
    ][:3]
    if not numbers:
        return _("If a child is in danger now, call your local emergency number at once.")
    return _("If a child is in danger now, call at once: %(numbers)s.") % {"numbers": "; ".join(numbers)}


def receipt_text(reference: str, receipt: str) -> str:
    return _(
        "Thank you, your report was sent (%(reference)s). Your receipt code: %(receipt)s. Keep it "
        "secret: send it here, or enter it on the web form, to follow up. It cannot be shown again."
    ) % {"reference": reference, "receipt": receipt}


def operator_text(body: str) -> str:
    return _("From the team handling your report: %(body)s") % {"body": body}


def parse_country(text: str) -> str:
    """An ISO code from a code or a country name in the current language (or English)."""
    answer = plain(text)
    if len(answer) == 2 and is_country(answer):
        return answer.upper()
    for code, name in country_choices():
        if plain(name) == answer:
            return code
    with translation.override("en"):
        for code, name in country_choices():
            if plain(name) == answer:
                return code
    return ""


def parse_danger(text: str) -> str:
    answer = plain(text)
    if answer in YES_WORDS:
        return Danger.YES
    if answer in NO_WORDS:
        return Danger.NO
    if answer in UNSURE_WORDS:
        return Danger.UNSURE
    return ""


def parse_identifiers(text: str) -> list[tuple[str, str]]:
    """``(kind, as typed)`` of each phone number and handle named; the rest is ignored."""
    phones = [
        ("phone", match.group().strip())
        for match in PHONE.finditer(text)
        if sum(ch.isdigit() for ch in match.group()) >= 6
    ]
    return phones + [("handle", match.group()) for match in HANDLE.finditer(text)]


class Dialogue:
    """One step of a conversation: the reporter's message in, the answers out.

    ``submit(conversation) -> (reference, receipt)`` files the report; ``follow_up(conversation,
    text)`` adds a message to the conversation's report; ``reopen(conversation, receipt)`` links
    the conversation to the report of a receipt code, or answers False.
    """

    def __init__(
        self,
        *,
        submit: Callable[[Conversation], tuple[str, str]],
        follow_up: Callable[[Conversation, str], None],
        reopen: Callable[[Conversation, str], bool],
    ) -> None:
        self.submit = submit
        self.follow_up = follow_up
        self.reopen = reopen

    def start(self, conversation: Conversation, languages: list[str]) -> list[str]:
        conversation.answers = {}
        conversation.report = None
        if len(languages) == 1:
            conversation.language = languages[0]
            conversation.state = ConversationState.NARRATIVE
            with translation.override(conversation.language):
                return [privacy_note(), ask_narrative()]
        conversation.state = ConversationState.LANGUAGE
        return [language_menu(languages)]

    def reply_to(
        self, conversation: Conversation, text: str, *, languages: list[str], country: str
    ) -> list[str]:
        word = plain(text)
        if word in STOP_WORDS:
            conversation.state = ConversationState.STOPPED
            with translation.override(conversation.language or languages[0]):
                return [_("Stopped. We will not write to you again. Send any message to start a new report.")]
        if word in RESTART_WORDS or conversation.state in (
            ConversationState.STOPPED,
            ConversationState.EXPIRED,
        ):
            return self.start(conversation, languages)
        if word in HELP_WORDS:
            if conversation.state == ConversationState.LANGUAGE:
                return [language_menu(languages)]
            with translation.override(conversation.language):
                return [help_text()]
        if looks_like_receipt(text):
            found = self.reopen(conversation, text)
            with translation.override(conversation.language or languages[0]):
                if found:
                    conversation.state = ConversationState.REPORTED
                    return [_("We found your report. Write your message and we will add it.")]
                return [_("We could not find a report with that receipt code.")]
        if conversation.state == ConversationState.LANGUAGE:
            chosen = choose_language(text, languages)
            if chosen is None:
                return [language_menu(languages)]
            conversation.language = chosen
            conversation.state = ConversationState.NARRATIVE
            with translation.override(chosen):
                return [privacy_note(), ask_narrative()]
        with translation.override(conversation.language):
            return self._answer(conversation, text, country)

    def _answer(self, conversation: Conversation, text: str, country: str) -> list[str]:
        answers: dict[str, Any] = dict(conversation.answers)
        state = conversation.state
        replies: list[str] = []
        if state == ConversationState.NARRATIVE:
            if not text.strip():
                return [ask_narrative()]
            answers["narrative"] = text.strip()[:5000]
            if country:
                answers["country"] = country
                state, replies = ConversationState.TOWN, [ask_town()]
            else:
                state, replies = ConversationState.COUNTRY, [ask_country()]
        elif state == ConversationState.COUNTRY:
            code = parse_country(text)
            if not code:
                return [_("We did not recognise that country."), ask_country()]
            answers["country"] = code
            state, replies = (
                ConversationState.TOWN,
                [_("Country: %(name)s.") % {"name": country_name(code)}, ask_town()],
            )
        elif state == ConversationState.TOWN:
            answers["place"] = "" if plain(text) in SKIP_WORDS else text.strip()[:200]
            state, replies = ConversationState.DANGER, [ask_danger()]
        elif state == ConversationState.DANGER:
            danger = parse_danger(text)
            if not danger:
                return [ask_danger()]
            answers["child_in_danger"] = danger
            if danger == Danger.YES:
                # The numbers come at once, before anything else is asked.
                replies.append(emergency_numbers(answers.get("country", "")))
            state = ConversationState.IDENTIFIERS
            replies.append(ask_identifiers())
        elif state == ConversationState.IDENTIFIERS:
            answers["identifiers"] = [] if plain(text) in SKIP_WORDS else parse_identifiers(text)
            conversation.answers = answers
            reference, receipt = self.submit(conversation)
            conversation.state = ConversationState.REPORTED
            return [receipt_text(reference, receipt)]
        elif state == ConversationState.REPORTED:
            try:
                self.follow_up(conversation, text)
            except ValidationError as error:
                return [" ".join(error.messages)]
            return [_("Added to your report. We will answer here.")]
        conversation.answers = answers
        conversation.state = state
        return replies
