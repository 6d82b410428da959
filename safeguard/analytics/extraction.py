"""Entity extraction and normalisation for reports, cases and online ads.

Pure Python, no Django. Every public function is a top-level function of plain values, so the
extraction can be fanned out with ``multiprocessing`` (see :func:`link_keys_for_batch`).

An :class:`Entity` is one mention: its kind, its canonical key (the string two mentions must share
to be "the same" phone, e-mail, handle …) and the raw span in the source text, so a UI can
highlight exactly what was read.

Canonical keys:

* phone  — E.164 (``+12025550123``), via ``phonenumbers`` with the record's country as the default
  region; spelled-out digits (English, Spanish, French), separators between digits and letter-for-
  digit swaps inside digit runs (O/o→0, I/l→1, S→5) are decoded first.
* email  — lower-case ``local@domain``; ``at``/``(at)``/``[at]``/``arroba``/``arobase`` and
  ``dot``/``[.]``/``(dot)``/``punto``/``point`` are decoded.
* url    — scheme, ``www.``, fragment, tracking parameters and trailing slash dropped; host lower-case.
* domain — registered domain of a URL or e-mail host (``jobs.example.co.uk`` → ``example.co.uk``).
* handle — social-media user name, lower-case without ``@`` (``@Name``, ``instagram.com/name``,
  ``t.me/name``, ``snap: name`` …).
* plate  — vehicle plate, upper-case without spaces or dashes; in free text only after a cue word
  (plate, placa, matrícula, plaque …) because bare plates are indistinguishable from codes.
* name, place — only from structured fields (see :func:`extract_fields`).
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import phonenumbers

from safeguard.core.identifiers import normal_form, phone_e164, url_key

__all__ = [
    "DEFAULT_FIELD_KINDS",
    "Entity",
    "EntityKind",
    "extract_entities",
    "extract_fields",
    "link_keys",
    "link_keys_for_batch",
    "normalise",
    "registered_domain",
]


class EntityKind(enum.StrEnum):
    PHONE = "phone"
    EMAIL = "email"
    URL = "url"
    DOMAIN = "domain"
    HANDLE = "handle"
    PLATE = "plate"
    NAME = "name"
    PLACE = "place"


@dataclass(frozen=True, slots=True)
class Entity:
    """One mention of an entity: ``text[start:end]`` of the source is the raw span."""

    kind: EntityKind
    key: str
    start: int
    end: int
    text: str
    field: str | None = None

    @property
    def link_key(self) -> str:
        """The key records are linked on: kind-qualified so a handle never meets a phone."""
        return f"{self.kind}:{self.key}"


# --------------------------------------------------------------------------------------------
# Phones
# --------------------------------------------------------------------------------------------

_DIGIT_WORDS: dict[str, str] = {
    # English
    "zero": "0", "oh": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5",
    "six": "6", "seven": "7", "eight": "8", "nine": "9",
    # Spanish
    "cero": "0", "uno": "1", "dos": "2", "tres": "3", "cuatro": "4", "cinco": "5", "seis": "6",
    "siete": "7", "ocho": "8", "nueve": "9",
    # French ("six" is shared with English)
    "zéro": "0", "un": "1", "deux": "2", "trois": "3", "quatre": "4", "cinq": "5", "sept": "7",
    "huit": "8", "neuf": "9",
}  # fmt: skip
# Matched on lower-cased text: O/o→0, I/i/l→1, S/s→5.
_LETTER_DIGITS = str.maketrans({"o": "0", "i": "1", "l": "1", "s": "5"})

# Longest words first so that "zéro" is tried before shorter words.
_WORD_ALTERNATION = "|".join(sorted(map(re.escape, _DIGIT_WORDS), key=len, reverse=True))
# A digit chunk may carry swapped letters, but only if it holds at least one real digit.
# Possessive quantifiers and atomic tokens keep matching linear: a long digit string followed by a
# letter would otherwise be split every possible way before the run gives up.
_CHUNK = r"[oils]*+[0-9][0-9oils]*+"
_TOKEN = rf"(?>{_CHUNK}|(?:{_WORD_ALTERNATION}))(?![a-z])"
_SEP = r"[ \t\u00a0\-.()/_]{0,3}"
# Word boundaries only around tokens, not inside them: per-token \b costs a third of the extraction.
_PHONE_RUN_RE = re.compile(rf"(?<![a-z0-9])(?:\+\s?)?{_TOKEN}(?:{_SEP}{_TOKEN})*+")
_TOKEN_RE = re.compile(rf"(?P<word>{_WORD_ALTERNATION})|(?P<chunk>{_CHUNK})")
_DATE_RE = re.compile(r"\d{1,4}\s?[./-]\s?\d{1,2}\s?[./-]\s?\d{2,4}")
_CURRENCY_BEFORE = frozenset("$€£¥₦₹₱")
_MIN_PHONE_DIGITS = 7
_MAX_PHONE_DIGITS = 17
_MAX_PAIR_DIGITS = 2 * _MAX_PHONE_DIGITS + 4
_WHATSAPP_PREFIXES = ("wa.me/", "whatsapp.com/send?phone=")


@dataclass(frozen=True, slots=True)
class _PhoneToken:
    start: int
    end: int
    digits: str
    is_word: bool


def _phone_tokens(lowered: str, start: int, end: int) -> list[_PhoneToken]:
    tokens = []
    for match in _TOKEN_RE.finditer(lowered, start, end):
        if match.lastgroup == "word":
            digits = _DIGIT_WORDS[match.group()]
            tokens.append(_PhoneToken(match.start(), match.end(), digits, True))
        else:
            tokens.append(
                _PhoneToken(match.start(), match.end(), match.group().translate(_LETTER_DIGITS), False)
            )
    return tokens


def _e164(digits: str, international: bool, default_region: str | None) -> str | None:
    """E.164 of a digit string if ``phonenumbers`` calls it a valid number, else None."""
    if not (_MIN_PHONE_DIGITS <= len(digits) <= _MAX_PHONE_DIGITS):
        return None
    if international:
        candidate = "+" + digits
    elif digits.startswith("00"):
        candidate = "+" + digits[2:]
    elif default_region:
        candidate = digits
    else:
        return None
    return phone_e164(candidate, default_region)


def _token_windows(tokens: list[_PhoneToken]) -> Iterable[tuple[int, int]]:
    """Candidate token windows: the whole run, then with stray number words trimmed off the ends.

    Number words such as French "un" or English "one" often sit next to a real number
    ("un numéro: 06 …"), so a run that fails as a whole is retried without them.
    """
    n = len(tokens)
    yield 0, n
    lo = 0
    while lo < n and tokens[lo].is_word:
        lo += 1
    hi = n
    while hi > lo and tokens[hi - 1].is_word:
        hi -= 1
    for window in ((lo, n), (0, hi), (lo, hi)):
        if window != (0, n) and window[0] < window[1]:
            yield window


def _phones_in_run(
    text: str, lowered: str, start: int, end: int, default_region: str | None
) -> list[tuple[int, int, str]]:
    tokens = _phone_tokens(lowered, start, end)
    if not tokens or sum(len(t.digits) for t in tokens) < _MIN_PHONE_DIGITS:
        return []
    if all(t.is_word for t in tokens) and len(tokens) < _MIN_PHONE_DIGITS:
        return []
    international = text[start] == "+" or any(lowered.endswith(p, 0, start) for p in _WHATSAPP_PREFIXES)
    for lo, hi in _token_windows(tokens):
        window = tokens[lo:hi]
        e164 = _e164("".join(t.digits for t in window), international and lo == 0, default_region)
        if e164:
            return [(start if lo == 0 else window[0].start, window[-1].end, e164)]
    if not any(t.is_word for t in tokens) and sum(len(t.digits) for t in tokens) <= _MAX_PAIR_DIGITS:
        # Two numbers written back to back ("0612345678 0698765432"): let phonenumbers split them.
        return _matcher_phones(text, start, end, default_region)
    return []


def _matcher_phones(
    text: str, start: int, end: int, default_region: str | None
) -> list[tuple[int, int, str]]:
    found = []
    for match in phonenumbers.PhoneNumberMatcher(
        text[start:end], default_region, leniency=phonenumbers.Leniency.VALID
    ):
        e164 = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
        found.append((start + match.start, start + match.end, e164))
    return found


def _is_date_or_price(text: str, start: int, end: int) -> bool:
    raw = text[start:end].strip(" .-/()_")
    if _DATE_RE.fullmatch(raw):
        return True
    before = text[max(0, start - 2) : start].strip()
    return bool(before) and before[-1] in _CURRENCY_BEFORE


def _phone_entities(
    text: str, lowered: str, default_region: str | None, taken: list[tuple[int, int]]
) -> list[Entity]:
    entities = []
    for run in _PHONE_RUN_RE.finditer(lowered):
        start, end = run.span()
        while start < end and not (text[start].isalnum() or text[start] == "+"):
            start += 1
        if start > 0 and text[start - 1] == "(" and ")" in text[start:end]:
            start -= 1
        if end - start < _MIN_PHONE_DIGITS or _is_date_or_price(text, start, end):
            continue
        if _overlaps(start, end, taken):
            continue
        for s, e, e164 in _phones_in_run(text, lowered, start, end, default_region):
            entities.append(Entity(EntityKind.PHONE, e164, s, e, text[s:e]))
    return entities


# --------------------------------------------------------------------------------------------
# URLs, domains, handles on platforms
# --------------------------------------------------------------------------------------------

_KNOWN_TLDS_TEXT = """com net org info biz io co me app xyz online site top club shop live store tv cc ly ws
    pro mobi name work jobs agency email link click space website blog ai gg to la
    ru ua uk de fr es it pt nl be ch at pl ro bg gr tr cz sk hu se no dk fi ie eu
    us ca mx br ar cl pe ve ec bo py uy gt hn sv ni cr pa do cu
    in pk bd lk np cn hk tw jp kr th vn ph id my sg kh mm la
    ng gh ke za ug tz et sn ci cm ma dz tn eg ae sa qa kw lb jo il ir iq
    au nz tk ml ga cf gq
    example test invalid localhost"""
_KNOWN_TLDS = frozenset(_KNOWN_TLDS_TEXT.split())
# Second-level labels under which registrations happen one level deeper (a small public-suffix
# subset; without the full list, "example.co.uk" would otherwise collapse to "co.uk").
_SECOND_LEVEL_SUFFIXES_TEXT = """co.uk org.uk ac.uk gov.uk me.uk ltd.uk plc.uk com.au net.au org.au co.nz org.nz
    com.br net.br org.br com.mx org.mx gob.mx com.ar com.co com.pe com.ve com.ec com.bo com.py
    com.uy com.gt com.hn com.sv com.ni com.do co.za org.za co.ke co.ug co.tz com.ng org.ng com.gh
    co.in net.in org.in com.pk com.bd com.cn com.hk com.tw co.jp co.kr co.th com.vn com.ph co.id
    com.my com.sg com.tr com.ua com.eg com.sa co.il"""
_SECOND_LEVEL_SUFFIXES = frozenset(_SECOND_LEVEL_SUFFIXES_TEXT.split())
_PLATFORM_HOSTS: dict[str, str] = {
    "instagram.com": "", "instagr.am": "", "t.me": "", "telegram.me": "", "tiktok.com": "",
    "facebook.com": "", "fb.com": "", "m.facebook.com": "", "twitter.com": "", "x.com": "",
    "snapchat.com": "add", "onlyfans.com": "", "vk.com": "", "threads.net": "",
}  # fmt: skip
_RESERVED_PROFILE_PATHS_TEXT = "p reel reels stories explore share joinchat s home login signup watch video groups events pages hashtag search i intent tag"
_RESERVED_PROFILE_PATHS = frozenset(_RESERVED_PROFILE_PATHS_TEXT.split())
_WHATSAPP_HOSTS = frozenset({"wa.me", "api.whatsapp.com"})

_URL_RE = re.compile(
    r"(?<![\w@.\-])(?:(?P<scheme>https?://)|www\.)?"
    r"(?P<host>(?:[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?\.)+[a-z]{2,24})(?::\d{2,5})?"
    r"(?P<rest>[/?#][^\s<>\"'{}|\\^`\[\]]*)?"
)
# Every host has a dot between two label characters; most reports have none, so skip them cheaply.
_URL_HINT_RE = re.compile(r"[a-z0-9]\.[a-z]")
_TRAILING_PUNCTUATION = ".,;:!?)]}'\""
_HANDLE_CHARS_RE = re.compile(r"[a-z0-9_](?:[a-z0-9_.]{0,28}[a-z0-9_])?")


def registered_domain(host: str) -> str | None:
    """The registrable domain of a host name (``jobs.example.co.uk`` → ``example.co.uk``).

    Uses a built-in subset of the public-suffix list; None when the host has a single label.
    """
    labels = host.lower().strip(".").split(".")
    if labels and labels[0] == "www":
        labels = labels[1:]
    if len(labels) < 2:
        return None
    if len(labels) >= 3 and ".".join(labels[-2:]) in _SECOND_LEVEL_SUFFIXES:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def _normalise_url_parts(host: str, rest: str) -> str:
    return url_key(host, rest)


def _handle_from_url(host: str, path: str) -> str | None:
    host = host.lower()
    if host.startswith("www."):
        host = host[4:]
    if host not in _PLATFORM_HOSTS:
        return None
    segments = [s for s in path.split("?", 1)[0].split("/") if s]
    prefix = _PLATFORM_HOSTS[host]
    if prefix and segments and segments[0].lower() == prefix:
        segments = segments[1:]
    if not segments or segments[0].lower() in _RESERVED_PROFILE_PATHS:
        return None
    return _normalise_handle(segments[0])


def _strip_trailing(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in _TRAILING_PUNCTUATION:
        # Keep a closing bracket that belongs to the URL, e.g. Wikipedia-style "(disambiguation)".
        if text[end - 1] == ")" and text.count("(", start, end) >= text.count(")", start, end):
            break
        end -= 1
    return end


def _url_entities(text: str, lowered: str) -> list[Entity]:
    entities: list[Entity] = []
    if not _URL_HINT_RE.search(lowered):
        return entities
    for match in _URL_RE.finditer(lowered):
        host = match.group("host")
        tld = host.rsplit(".", 1)[-1].lower()
        has_prefix = match.group("scheme") is not None or match.start("host") > match.start()
        if not has_prefix and tld not in _KNOWN_TLDS:
            continue
        start = match.start()
        end = _strip_trailing(text, start, match.end())
        rest = text[match.end("host") : end]
        if rest.startswith(":"):
            rest = rest.lstrip(":0123456789")
        raw = text[start:end]
        host_key = host.lower().removeprefix("www.")
        entities.append(Entity(EntityKind.URL, _normalise_url_parts(host, rest), start, end, raw))
        domain = registered_domain(host)
        if domain:
            entities.append(Entity(EntityKind.DOMAIN, domain, start, end, raw))
        handle = _handle_from_url(host, rest)
        if handle:
            entities.append(Entity(EntityKind.HANDLE, handle, start, end, raw))
        if host_key in _WHATSAPP_HOSTS:
            digits = "".join(c for c in rest if c.isdigit())
            e164 = _e164(digits, True, None)
            if e164:
                entities.append(Entity(EntityKind.PHONE, e164, start, end, raw))
    return entities


# --------------------------------------------------------------------------------------------
# E-mails
# --------------------------------------------------------------------------------------------

_AT_RE = re.compile(r"@|[(\[{]\s*(?:at|@|arroba|arobase)\s*[)\]}]|(?<=\s)(?:at|arroba|arobase)(?=\s)")
_LOCAL_BEFORE_RE = re.compile(r"[a-z0-9](?:[a-z0-9._%+\-]{0,63})\s*$")
_DOT = r"(?:\s*[(\[{]\s*(?:dot|\.|punto|point)\s*[)\]}]\s*|\s+(?:dot|punto|point)\s+|\.)"
_LABEL = r"[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?"
_DOMAIN_AFTER_RE = re.compile(rf"\s*(?P<first>{_LABEL})(?P<more>(?:{_DOT}{_LABEL})+)")
_DOT_SPLIT_RE = re.compile(_DOT)


def _email_at(text: str, at: re.Match[str]) -> tuple[int, int, str] | None:
    window_start = max(0, at.start() - 70)
    local = _LOCAL_BEFORE_RE.search(text, window_start, at.start())
    if local is None:
        return None
    local_text = local.group().rstrip()
    if not local_text or (local.start() > 0 and text[local.start() - 1] in "@/"):
        return None
    domain = _DOMAIN_AFTER_RE.match(text, at.end())
    if domain is None:
        return None
    labels = [domain.group("first"), *_DOT_SPLIT_RE.split(domain.group("more"))[1:]]
    # Each label's end offset, so a too-long match can be cut back to its last real TLD.
    ends = []
    cursor = domain.start("first")
    for label in labels:
        cursor = text.index(label, cursor) + len(label)
        ends.append(cursor)
    spelled = "@" not in at.group()
    while len(labels) >= 2:
        tld = labels[-1].lower()
        if tld.isalpha() and (tld in _KNOWN_TLDS or (not spelled and len(tld) >= 2)):
            break
        labels.pop()
        ends.pop()
    if len(labels) < 2:
        return None
    key = f"{local_text.lower().rstrip('.')}@{'.'.join(labels).lower()}"
    return local.start(), ends[-1], key


def _email_entities(text: str, lowered: str) -> list[Entity]:
    entities = []
    for at in _AT_RE.finditer(lowered):
        found = _email_at(lowered, at)
        if found is None:
            continue
        start, end, key = found
        raw = text[start:end]
        entities.append(Entity(EntityKind.EMAIL, key, start, end, raw))
        domain = registered_domain(key.rsplit("@", 1)[1])
        if domain:
            entities.append(Entity(EntityKind.DOMAIN, domain, start, end, raw))
    return entities


# --------------------------------------------------------------------------------------------
# Handles and plates
# --------------------------------------------------------------------------------------------

_AT_HANDLE_RE = re.compile(r"(?<![\w@.])@(?P<name>[a-z0-9_](?:[a-z0-9_.]{0,28}[a-z0-9_])?)")
_LABELLED_HANDLE_RE = re.compile(
    r"\b(?:snap(?:chat)?|sc|ig|insta(?:gram)?|telegram|tg|kik|tiktok|tt|twitter|wechat|skype|discord)"
    r"(?:\s*(?:id|user(?:name)?|usuario|pseudo))?\s*(?::|=|-|–|\bis\b|\bes\b|\best\b)\s*@?"
    r"(?P<name>[a-z0-9_](?:[a-z0-9_.]{0,28}[a-z0-9_])?)"
)
_PLATE_RE = re.compile(
    r"(?i:\b(?:licen[cs]e\s+plates?|plates?|reg(?:istration)?|placas?|matr[ií]cula|patente|plaque"
    r"|immatriculation)\b(?:\s*(?:number|no\.?|n[°º]|#|:|is|es|est|de|d'immatriculation))*)\s*"
    r"(?P<plate>[A-Z0-9]{1,4}(?:[ \-]?[A-Z0-9]{1,4}){0,3})(?![A-Za-z0-9])"
)
_PLATE_CUE_RE = re.compile(r"plat|plac|reg|matr|patente|immat")


def _normalise_handle(value: str) -> str | None:
    form = normal_form("handle", value)
    return form.key if form.verified else None


def _handle_entities(text: str, lowered: str, taken: list[tuple[int, int]]) -> list[Entity]:
    entities: list[Entity] = []
    for pattern in (_LABELLED_HANDLE_RE, _AT_HANDLE_RE):
        for match in pattern.finditer(lowered):
            start, end = match.span()
            if _overlaps(start, end, taken) or _overlaps(start, end, [(e.start, e.end) for e in entities]):
                continue
            handle = _normalise_handle(match.group("name"))
            if handle and not handle.isdigit():
                entities.append(Entity(EntityKind.HANDLE, handle, start, end, text[start:end]))
    return entities


def _normalise_plate(value: str) -> str | None:
    form = normal_form("plate", value)
    return form.key if form.verified else None


def _plate_entities(text: str, lowered: str) -> list[Entity]:
    entities: list[Entity] = []
    if not _PLATE_CUE_RE.search(lowered):
        return entities
    for match in _PLATE_RE.finditer(text):
        plate = _normalise_plate(match.group("plate"))
        if plate and len(plate) >= 4:
            start, end = match.span("plate")
            entities.append(Entity(EntityKind.PLATE, plate, start, end, match.group("plate")))
    return entities


# --------------------------------------------------------------------------------------------
# Names and places (structured fields only)
# --------------------------------------------------------------------------------------------

_SUBDIVISION_RE = re.compile(r"[A-Za-z]{2}-[A-Za-z0-9]{1,3}")
_NON_LETTERS_RE = re.compile(r"[^\w\s]|[\d_]")


def _fold(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_NON_LETTERS_RE.sub(" ", stripped.casefold()).split())


def _normalise_name(value: str) -> str | None:
    # Sorted tokens: "DOE, John" and "john doe" are the same key; accents and case never matter.
    tokens = sorted(_fold(value).split())
    return " ".join(tokens) or None


def _normalise_place(value: str) -> str | None:
    stripped = value.strip()
    if _SUBDIVISION_RE.fullmatch(stripped):
        return stripped.upper()
    return _fold(stripped) or None


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------


def _lower_same_length(text: str) -> str:
    """Lower-cased text with the same offsets: patterns run on it, spans are cut from the original.

    Case-sensitive patterns on lower-cased text are several times faster than IGNORECASE ones.
    """
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    # A few characters (e.g. "İ") grow when lower-cased; keep those as they are.
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < s_end and s_start < end for s_start, s_end in spans)


def extract_entities(text: str, *, default_region: str | None) -> list[Entity]:
    """Every phone, e-mail, URL, domain, handle and plate mentioned in free text, in text order.

    Guarantees: each entity's ``text == source[start:end]``; keys are canonical (see module doc);
    a phone's, e-mail's, URL's, handle's and plate's key equals :func:`normalise` of its raw span;
    phones are valid numbers per ``phonenumbers``
    (dates, prices and years are never phones); a digit run inside a URL or e-mail is not read as
    a phone, except a WhatsApp link. Names and places are never read from free text.
    """
    if not text:
        return []
    lowered = _lower_same_length(text)
    entities = _url_entities(text, lowered)
    entities.extend(_email_entities(text, lowered))
    taken = [(e.start, e.end) for e in entities if e.kind in (EntityKind.URL, EntityKind.EMAIL)]
    entities.extend(_handle_entities(text, lowered, taken))
    entities.extend(_phone_entities(text, lowered, default_region, taken))
    entities.extend(_plate_entities(text, lowered))
    entities.sort(key=lambda e: (e.start, e.kind))
    return entities


def normalise(kind: EntityKind | str, value: str, *, default_region: str | None) -> str | None:
    """Canonical key of one value of a known kind, or None when it cannot be parsed as that kind.

    A phone must be a valid number (E.164); obfuscated spellings are accepted for phones and
    e-mails exactly as in free text.
    """
    kind = EntityKind(kind)
    value = value.strip()
    if not value:
        return None
    match kind:
        case EntityKind.PHONE:
            return _normalise_phone(value, default_region)
        case EntityKind.EMAIL:
            emails = [
                e for e in _email_entities(value, _lower_same_length(value)) if e.kind is EntityKind.EMAIL
            ]
            return emails[0].key if len(emails) == 1 else None
        case EntityKind.URL:
            urls = [e for e in _url_entities(value, _lower_same_length(value)) if e.kind is EntityKind.URL]
            return urls[0].key if urls else None
        case EntityKind.DOMAIN:
            urls = _url_entities(value, _lower_same_length(value))
            domains = [e.key for e in urls if e.kind is EntityKind.DOMAIN]
            return domains[0] if domains else None
        case EntityKind.HANDLE:
            lowered = _lower_same_length(value)
            handles = [e for e in _url_entities(value, lowered) if e.kind is EntityKind.HANDLE]
            handles = handles or _handle_entities(value, lowered, [])
            return handles[0].key if handles else _normalise_handle(value)
        case EntityKind.PLATE:
            return _normalise_plate(value)
        case EntityKind.NAME:
            return _normalise_name(value)
        case EntityKind.PLACE:
            return _normalise_place(value)


def _normalise_phone(value: str, default_region: str | None) -> str | None:
    if any(c.isalpha() for c in value):
        # phonenumbers reads letters as a keypad ("S" → 7); here letters are obfuscations.
        phones = [e.key for e in _phone_entities(value, _lower_same_length(value), default_region, [])]
        return phones[0] if len(phones) == 1 else None
    form = normal_form("phone", value, region=default_region)
    if form.verified:
        return form.key
    phones = [e.key for e in _phone_entities(value, _lower_same_length(value), default_region, [])]
    return phones[0] if len(phones) == 1 else None


DEFAULT_FIELD_KINDS: Mapping[str, EntityKind | None] = {
    "phone": EntityKind.PHONE,
    "phone_number": EntityKind.PHONE,
    "mobile": EntityKind.PHONE,
    "email": EntityKind.EMAIL,
    "url": EntityKind.URL,
    "website": EntityKind.URL,
    "handle": EntityKind.HANDLE,
    "username": EntityKind.HANDLE,
    "social_handle": EntityKind.HANDLE,
    "plate": EntityKind.PLATE,
    "vehicle_plate": EntityKind.PLATE,
    "name": EntityKind.NAME,
    "full_name": EntityKind.NAME,
    "alias": EntityKind.NAME,
    "place": EntityKind.PLACE,
    "city": EntityKind.PLACE,
    "location": EntityKind.PLACE,
    "subdivision": EntityKind.PLACE,
    # None: free text, read with extract_entities.
    "text": None,
    "description": None,
    "narrative": None,
    "notes": None,
}


def extract_fields(
    fields: Mapping[str, str | None],
    *,
    default_region: str | None,
    field_kinds: Mapping[str, EntityKind | None] = DEFAULT_FIELD_KINDS,
) -> list[Entity]:
    """Entities from a record's structured fields; ``Entity.field`` names the source field.

    A field mapped to a kind yields at most one entity spanning the whole value (skipped when the
    value does not parse as that kind); a field mapped to None is free text and yields whatever
    :func:`extract_entities` finds in it; unknown fields are ignored.
    """
    entities: list[Entity] = []
    for field_name, value in fields.items():
        if not value or field_name not in field_kinds:
            continue
        kind = field_kinds[field_name]
        if kind is None:
            for entity in extract_entities(value, default_region=default_region):
                entities.append(_with_field(entity, field_name))
            continue
        key = normalise(kind, value, default_region=default_region)
        if key is not None:
            entities.append(Entity(kind, key, 0, len(value), value, field_name))
            if kind in (EntityKind.URL, EntityKind.EMAIL):
                domain = normalise(EntityKind.DOMAIN, key.rsplit("@", 1)[-1], default_region=None)
                if domain:
                    entities.append(Entity(EntityKind.DOMAIN, domain, 0, len(value), value, field_name))
    return entities


def _with_field(entity: Entity, field_name: str) -> Entity:
    return Entity(entity.kind, entity.key, entity.start, entity.end, entity.text, field_name)


def link_keys(text: str, default_region: str | None) -> list[str]:
    """Distinct kind-qualified keys (``"phone:+1…"``) of a text, in order of first mention."""
    return list(dict.fromkeys(e.link_key for e in extract_entities(text, default_region=default_region)))


def link_keys_for_batch(batch: Sequence[tuple[str, str | None]]) -> list[list[str]]:
    """:func:`link_keys` for each ``(text, default_region)``; picklable for ``multiprocessing``."""
    return [link_keys(text, region) for text, region in batch]
