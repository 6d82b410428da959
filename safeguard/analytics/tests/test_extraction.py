"""Entity extraction: what is read from free text and fields, and the canonical key it gets."""

from __future__ import annotations

import pickle
import time

import phonenumbers
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from safeguard.analytics.extraction import (
    Entity,
    EntityKind,
    extract_entities,
    extract_fields,
    link_keys,
    link_keys_for_batch,
    normalise,
    registered_domain,
)

WORDS = {
    "en": ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"],
    "es": ["cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve"],
    "fr": ["zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf"],
}


def of_kind(entities: list[Entity], kind: EntityKind) -> list[Entity]:
    return [entity for entity in entities if entity.kind is kind]


# Fictional numbers: US NXX-555-XXXX, Ofcom's 020 7946 0xxx drama range, ARCEP's 01 99 00 xx xx.
@st.composite
def fictional_numbers(draw: st.DrawFn) -> tuple[str, str]:
    """(E.164, region) of a number phonenumbers calls valid."""
    region = draw(st.sampled_from(["US", "GB", "FR"]))
    if region == "US":
        e164 = f"+1{draw(st.sampled_from([202, 212, 305, 415, 509, 617, 713, 917]))}555{draw(st.integers(0, 9999)):04d}"
    elif region == "GB":
        e164 = f"+442079460{draw(st.integers(0, 999)):03d}"
    else:
        e164 = f"+33199{draw(st.integers(0, 99)):02d}{draw(st.integers(0, 9999)):04d}"
    assume(phonenumbers.is_valid_number(phonenumbers.parse(e164, None)))
    return e164, region


def national_digits(e164: str, region: str) -> str:
    number = phonenumbers.parse(e164, None)
    prefix = "0" if region in ("GB", "FR") else ""
    return prefix + phonenumbers.national_significant_number(number)


@st.composite
def obfuscated_renderings(draw: st.DrawFn) -> tuple[str, str, str]:
    """(rendering, E.164, region): one number written the way ads hide numbers."""
    e164, region = draw(fictional_numbers())
    number = phonenumbers.parse(e164, None)
    digits = national_digits(e164, region)
    style = draw(st.sampled_from(["national", "international", "separated", "spelled", "half", "swapped"]))
    if style == "national":
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL), e164, region
    if style == "international":
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL), e164, region
    if style == "separated":
        separators = draw(st.lists(st.sampled_from(["", " ", "-", ".", " - ", "  "]), min_size=len(digits)))
        return (
            "".join(d + sep for d, sep in zip(digits[:-1], separators, strict=False)) + digits[-1],
            e164,
            region,
        )
    language = draw(st.sampled_from(sorted(WORDS)))
    if style == "spelled":
        return " ".join(WORDS[language][int(d)] for d in digits), e164, region
    if style == "half":
        cut = draw(st.integers(1, len(digits) - 1))
        return digits[:cut] + " " + " ".join(WORDS[language][int(d)] for d in digits[cut:]), e164, region
    swaps = {"0": "oO", "1": "lI", "5": "Ss"}
    chars = [draw(st.sampled_from(swaps[d])) if d in swaps and draw(st.booleans()) else d for d in digits]
    chars[-1] = digits[-1]  # letter swaps are read only inside runs that keep a real digit
    assume(any(c.isdigit() for c in chars))
    return "".join(chars), e164, region


class TestPhones:
    @settings(max_examples=300, deadline=None)
    @given(obfuscated_renderings(), st.sampled_from(["Call {} today.", "número: {}", "WhatsApp {} !", "{}"]))
    def test_every_obfuscated_rendering_reads_as_the_same_e164(self, rendering, template) -> None:
        shown, e164, region = rendering
        text = template.format(shown)
        phones = of_kind(extract_entities(text, default_region=region), EntityKind.PHONE)
        assert [(p.key, p.text) for p in phones] == [(e164, shown)]
        assert text[phones[0].start : phones[0].end] == shown

    @settings(max_examples=100, deadline=None)
    @given(obfuscated_renderings())
    def test_normalise_agrees_with_extraction(self, rendering) -> None:
        shown, e164, region = rendering
        assert normalise("phone", shown, default_region=region) == e164

    @pytest.mark.parametrize(
        ("text", "region", "key", "span"),
        [
            ("Call me on (202) 555-0123 tonight", "US", "+12025550123", "(202) 555-0123"),
            ("0 2 0-7 9 4 6.0 1 2 3", "GB", "+442079460123", "0 2 0-7 9 4 6.0 1 2 3"),
            ("whatsapp O2O 7946 Ol23 now", "GB", "+442079460123", "O2O 7946 Ol23"),
            ("two oh two five five five zero one two three", "US", "+12025550123",
             "two oh two five five five zero one two three"),
            ("Llama al dos cero dos cinco cinco cinco cero uno dos tres", "US", "+12025550123",
             "dos cero dos cinco cinco cinco cero uno dos tres"),
            ("appelle un numéro: zéro un quatre-vingt", "FR", None, None),
            ("appelle un : 01 99 00 12 34", "FR", "+33199001234", "01 99 00 12 34"),
            ("+44 20 7946 0123", None, "+442079460123", "+44 20 7946 0123"),
            ("call 0044 20 7946 0123", "US", "+442079460123", "0044 20 7946 0123"),
            ("https://wa.me/12025550199", "GB", "+12025550199", "https://wa.me/12025550199"),
        ],
    )  # fmt: skip
    def test_examples(self, text, region, key, span) -> None:
        phones = of_kind(extract_entities(text, default_region=region), EntityKind.PHONE)
        assert [(p.key, p.text) for p in phones] == ([] if key is None else [(key, span)])

    def test_two_numbers_back_to_back_are_both_read(self) -> None:
        phones = of_kind(extract_entities("0612345678 0698765432", default_region="FR"), EntityKind.PHONE)
        assert [p.key for p in phones] == ["+33612345678", "+33698765432"]

    def test_national_number_without_a_region_is_not_guessed(self) -> None:
        assert of_kind(extract_entities("call 202 555 0123", default_region=None), EntityKind.PHONE) == []

    @settings(max_examples=200, deadline=None)
    @given(
        day=st.integers(1, 31),
        month=st.integers(1, 12),
        year=st.integers(1950, 2099),
        separator=st.sampled_from(["/", "-", "."]),
        region=st.sampled_from(["US", "GB", "FR", "MX", "ES"]),
    )
    def test_dates_are_not_phones(self, day, month, year, separator, region) -> None:
        for date in (f"{day:02d}{separator}{month:02d}{separator}{year}", f"{year}-{month:02d}-{day:02d}"):
            text = f"She left on {date} and came back"
            assert of_kind(extract_entities(text, default_region=region), EntityKind.PHONE) == []

    @settings(max_examples=200, deadline=None)
    @given(amount=st.integers(100, 99_999_999), currency=st.sampled_from(["$", "€", "£"]),
           region=st.sampled_from(["US", "GB", "FR"]))  # fmt: skip
    def test_prices_and_years_are_not_phones(self, amount, currency, region) -> None:
        text = f"paid {currency}{amount:,} in {amount % 100 + 1950}, aged 14-17, {currency}{amount:,}.00"
        assert of_kind(extract_entities(text, default_region=region), EntityKind.PHONE) == []

    def test_number_inside_a_url_path_is_not_a_phone(self) -> None:
        entities = extract_entities("see example.com/jobs/2025550123", default_region="US")
        assert of_kind(entities, EntityKind.PHONE) == []


class TestEmails:
    @pytest.mark.parametrize(
        ("text", "key", "span"),
        [
            ("mail Bob@Example.ORG.", "bob@example.org", "Bob@Example.ORG"),
            ("write maria at example dot com now", "maria@example.com", "maria at example dot com"),
            ("jo.doe(at)mail[.]com", "jo.doe@mail.com", "jo.doe(at)mail[.]com"),
            ("ana [at] example [dot] org", "ana@example.org", "ana [at] example [dot] org"),
            ("luz arroba example punto com", "luz@example.com", "luz arroba example punto com"),
            ("lea arobase example point fr", "lea@example.fr", "lea arobase example point fr"),
            ("name @ example.net", "name@example.net", "name @ example.net"),
        ],
    )
    def test_examples(self, text, key, span) -> None:
        emails = of_kind(extract_entities(text, default_region=None), EntityKind.EMAIL)
        assert [(e.key, e.text) for e in emails] == [(key, span)]

    def test_email_domain_is_its_own_entity(self) -> None:
        entities = extract_entities("x.y@jobs.example.co.uk", default_region=None)
        assert [e.key for e in of_kind(entities, EntityKind.DOMAIN)] == ["example.co.uk"]

    def test_spelled_at_needs_a_known_top_level_domain(self) -> None:
        assert (
            of_kind(extract_entities("I was at home dot then", default_region=None), EntityKind.EMAIL) == []
        )


class TestUrlsAndDomains:
    @pytest.mark.parametrize(
        ("text", "url", "domain"),
        [
            ("see https://www.Jobs.Example.co.uk/apply/?utm_source=fb&id=3#top.", "jobs.example.co.uk/apply?id=3",
             "example.co.uk"),
            ("http://example.com/", "example.com", "example.com"),
            ("www.example.org/Path/To?fbclid=abc", "example.org/Path/To", "example.org"),
            ("careers.example.net/offer?ref=x&pos=2", "careers.example.net/offer?pos=2", "example.net"),
        ],
    )  # fmt: skip
    def test_examples(self, text, url, domain) -> None:
        entities = extract_entities(text, default_region=None)
        assert [e.key for e in of_kind(entities, EntityKind.URL)] == [url]
        assert [e.key for e in of_kind(entities, EntityKind.DOMAIN)] == [domain]

    def test_abbreviations_are_not_urls(self) -> None:
        assert extract_entities("e.g. i.e. Mr.Smith etc.", default_region=None) == []

    def test_registered_domain(self) -> None:
        assert registered_domain("a.b.example.com.br") == "example.com.br"
        assert registered_domain("localhost") is None


class TestHandles:
    @pytest.mark.parametrize(
        ("text", "key"),
        [
            ("follow @Maria_99 now", "maria_99"),
            ("instagram.com/Maria_99", "maria_99"),
            ("https://t.me/agent007", "agent007"),
            ("tiktok.com/@Lola.X", "lola.x"),
            ("snap: Lola.X", "lola.x"),
            ("IG - @someone_1", "someone_1"),
            ("telegram: agent_k", "agent_k"),
        ],
    )
    def test_examples(self, text, key) -> None:
        handles = of_kind(extract_entities(text, default_region=None), EntityKind.HANDLE)
        assert [h.key for h in handles] == [key]

    def test_email_is_not_a_handle(self) -> None:
        assert of_kind(extract_entities("bob@example.com", default_region=None), EntityKind.HANDLE) == []

    def test_platform_pages_are_not_handles(self) -> None:
        assert (
            of_kind(extract_entities("instagram.com/p/abc123", default_region=None), EntityKind.HANDLE) == []
        )


class TestPlates:
    @pytest.mark.parametrize(
        ("text", "key", "span"),
        [
            ("the car plate is ABC 123 blue", "ABC123", "ABC 123"),
            ("placa: XYZ-9876", "XYZ9876", "XYZ-9876"),
            ("plaque d'immatriculation AB-123-CD", "AB123CD", "AB-123-CD"),
            ("matrícula 1234 BCD", "1234BCD", "1234 BCD"),
        ],
    )
    def test_examples(self, text, key, span) -> None:
        plates = of_kind(extract_entities(text, default_region=None), EntityKind.PLATE)
        assert [(p.key, p.text) for p in plates] == [(key, span)]

    def test_no_plate_without_a_cue_word(self) -> None:
        assert of_kind(extract_entities("code ABC 123", default_region=None), EntityKind.PLATE) == []


class TestNormalise:
    @pytest.mark.parametrize(
        ("kind", "value", "region", "key"),
        [
            ("phone", "+1 (202) 555-0123", None, "+12025550123"),
            ("phone", "555", "US", None),
            ("email", "Maria AT Example DOT com", None, "maria@example.com"),
            ("email", "not an email", None, None),
            ("url", "HTTPS://WWW.EXAMPLE.COM/a/", None, "example.com/a"),
            ("domain", "https://jobs.example.com/x", None, "example.com"),
            ("handle", "@Maria_99", None, "maria_99"),
            ("handle", "instagram.com/Maria_99", None, "maria_99"),
            ("handle", "not a handle!", None, None),
            ("plate", "abc-123", None, "ABC123"),
            ("plate", "--", None, None),
            ("name", "  DOE,  Jóhn ", None, "doe john"),
            ("name", "John Doe", None, "doe john"),
            ("place", "mx-chh", None, "MX-CHH"),
            ("place", "Ciudad  Juárez", None, "ciudad juarez"),
        ],
    )
    def test_examples(self, kind, value, region, key) -> None:
        assert normalise(kind, value, default_region=region) == key

    def test_unknown_kind_is_an_error(self) -> None:
        with pytest.raises(ValueError, match="colour"):
            normalise("colour", "red", default_region=None)


class TestFields:
    def test_structured_fields_and_free_text(self) -> None:
        entities = extract_fields(
            {
                "phone": "202-555-0123",
                "full_name": "Doe, John",
                "city": "Ciudad Juárez",
                "email": "Ana@Example.com",
                "narrative": "He uses snap: lola_x",
                "unrelated": "202-555-0999",
                "website": None,
            },
            default_region="US",
        )
        assert [(e.field, e.kind, e.key) for e in entities] == [
            ("phone", EntityKind.PHONE, "+12025550123"),
            ("full_name", EntityKind.NAME, "doe john"),
            ("city", EntityKind.PLACE, "ciudad juarez"),
            ("email", EntityKind.EMAIL, "ana@example.com"),
            ("email", EntityKind.DOMAIN, "example.com"),
            ("narrative", EntityKind.HANDLE, "lola_x"),
        ]
        narrative = entities[-1]
        assert "He uses snap: lola_x"[narrative.start : narrative.end] == "snap: lola_x"

    def test_unparseable_structured_value_is_skipped(self) -> None:
        assert extract_fields({"phone": "unknown"}, default_region="US") == []


class TestContract:
    @settings(max_examples=300, deadline=None)
    @given(st.text(max_size=300), st.sampled_from(["US", "GB", "FR", None]))
    def test_any_text_gives_spans_that_match_the_source(self, text, region) -> None:
        for entity in extract_entities(text, default_region=region):
            assert text[entity.start : entity.end] == entity.text

    @pytest.mark.parametrize(
        "text",
        [
            "Call (202) 555-0123 or two oh two five five five zero one two three, https://wa.me/12025550199",
            "snap: Lola.X, IG - @someone_1, instagram.com/Maria_99, maria at example dot com",
            "see https://www.Jobs.Example.co.uk/apply/?utm_source=fb&id=3 and plate ABC 123",
        ],
    )
    def test_a_key_is_the_normalised_raw_span(self, text) -> None:
        for entity in extract_entities(text, default_region="US"):
            if entity.kind is not EntityKind.DOMAIN:
                assert normalise(entity.kind, entity.text, default_region="US") == entity.key

    @pytest.mark.parametrize(
        "text",
        ["ref " + "1" * 5000 + "x", "o1" * 3000 + "x", "one " * 3000 + "x", "5 " * 3000, "a." * 3000 + "1"],
    )
    def test_pathological_input_is_read_in_linear_time(self, text) -> None:
        started = time.perf_counter()
        extract_entities(text, default_region="US")
        # Catastrophic regex backtracking on such input took minutes; linear matching takes milliseconds.
        assert time.perf_counter() - started < 2.0

    def test_link_keys_are_distinct_and_kind_qualified(self) -> None:
        text = "Call 202-555-0123 or (202) 555 0123, snap: lola_x"
        assert link_keys(text, "US") == ["phone:+12025550123", "handle:lola_x"]

    def test_batch_function_and_entities_pickle_for_multiprocessing(self) -> None:
        batch = [("Call 202-555-0123", "US"), ("nothing here", "GB")]
        # Round-trips our own bytes, as multiprocessing does; nothing untrusted is unpickled.
        function = pickle.loads(pickle.dumps(link_keys_for_batch))  # noqa: S301
        assert function(batch) == [["phone:+12025550123"], []]
        entity = extract_entities("Call 202-555-0123", default_region="US")[0]
        assert pickle.loads(pickle.dumps(entity)) == entity  # noqa: S301
