"""The public report form at /report/: steps, validation that keeps what was typed, emergency
numbers, honeypot, rate limit, receipt."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from safeguard.directory.models import Hotline, HotlineKind
from safeguard.intake.choices import Channel, Urgency
from safeguard.intake.models import Report, ReportIdentifier

ANSWERS: dict[str, Any] = {
    "child_in_danger": "no",
    "country": "ES",
    "narrative": "Two girls clean the fictional Hotel Ejemplo all night and never go to school.",
    "subdivision": "ES-MD",
    "place": "Calle Ficticia",
    "occurred": "this_week",
    "child_1_age": "14",
    "child_1_gender": "Feminine",
    "suspect_1_names": "Señor Nadie",
    "indicators": ["out_of_school", "excessive_overtime"],
    "exploitation_types": ["ChildLabour"],
    "phones": "+34 612 345 678\nno lo sé",
    "plates": "demo 123",
    "relation": "neighbour",
}


def send(client: Client, step: int, action: str = "next", *, follow: bool = False, **answers: Any) -> Any:
    """POST one step of the form; ``follow`` goes on to the receipt page a sent report lands on."""
    response = client.post("/report/", {**answers, "step": str(step), "action": action})
    if follow and response.status_code == 303:
        return client.get(response["Location"])
    return response


@pytest.mark.django_db
def test_first_step_renders_with_safety_question() -> None:
    page = Client().get("/report/").content.decode()
    # The count includes the last step, "Check and send", as the list of steps beside it does.
    steps = page.split('<ol class="steps"', 1)[1].split("</ol>", 1)[0]
    assert "Step 1 of 6" in page and steps.count("<li") == 6
    assert "Is a child in danger right now?" in page
    assert 'name="website"' in page  # honeypot present, hidden by CSS


@pytest.mark.django_db
def test_walking_through_the_steps_and_submitting_stores_the_report(org_a: Any) -> None:
    client = Client()
    for step in range(4):
        response = send(client, step, **ANSWERS)
        assert response.status_code == 200
        assert f"Step {step + 2} of 6" in response.content.decode()
    sent = send(client, 4, "submit", **ANSWERS)
    assert sent.status_code == 303  # post/redirect/get: the receipt page is a GET
    response = client.get(sent["Location"])
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert "Your receipt code" in page
    report = Report.objects.get()
    assert report.reference in page
    groups = re.findall(r'<span class="receipt-group">([0-9A-Z]{4})</span>', page)
    assert len(groups) == 6
    assert (report.channel, report.organisation, report.country, report.subdivision) == (
        Channel.WEB,
        org_a,
        "ES",
        "ES-MD",
    )
    assert report.children == [{"age": 14, "gender": "Feminine", "description": ""}]
    assert report.suspects == [{"description": "", "names": "Señor Nadie"}]
    assert report.urgency == Urgency.MEDIUM  # children (medium) + 2 signs (medium); this week: no bump
    rows = sorted(ReportIdentifier.objects.values_list("kind", "value", "is_valid"))
    assert rows == [
        ("phone", "+34 612 345 678", True),
        ("phone", "no lo sé", False),
        ("plate", "demo 123", True),
    ]


@pytest.mark.django_db
def test_a_step_with_errors_stays_and_keeps_every_answer(org_a: Any) -> None:
    answers = {**ANSWERS, "narrative": "", "latitude": "91"}
    response = send(Client(), 1, **answers)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Step 2 of 6" in page
    assert "Tell us what happened; a few words are enough." in page
    assert "Ensure this value is less than or equal to 90." in page
    assert 'value="Calle Ficticia"' in page  # typed on this step
    assert 'name="suspect_1_names" value="Señor Nadie"' in page  # carried from another step
    assert Report.objects.count() == 0


@pytest.mark.django_db
def test_back_keeps_answers_without_complaining() -> None:
    response = send(Client(), 2, "back", **{**ANSWERS, "child_1_age": "40"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Step 2 of 6" in page and "between 0 and 17" not in page
    assert 'name="child_1_age" value="40"' in page


@pytest.mark.django_db
def test_final_submit_sends_you_to_the_first_step_with_an_error(org_a: Any) -> None:
    response = send(Client(), 4, "submit", **{**ANSWERS, "child_1_age": "40"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Step 3 of 6" in page
    assert "A child&#x27;s age is between 0 and 17" in page
    assert Report.objects.count() == 0


@pytest.mark.django_db
def test_contact_details_need_consent_and_consent_needs_details(org_a: Any) -> None:
    page = send(Client(), 4, "submit", **{**ANSWERS, "contact_email": "me@example.org"}).content.decode()
    assert "Tick this box if we may contact you" in page
    page = send(Client(), 4, "submit", **{**ANSWERS, "contact_consent": "on"}).content.decode()
    assert "Give a phone number or an e-mail address" in page
    page = send(
        Client(), 4, "submit", **{**ANSWERS, "contact_email": "not-an-address", "contact_consent": "on"}
    ).content.decode()
    assert "Enter an e-mail address like name@example.org" in page
    assert Report.objects.count() == 0


@pytest.mark.django_db
def test_unknown_country_and_control_characters_are_refused() -> None:
    page = send(Client(), 0, **{**ANSWERS, "country": "XX"}).content.decode()
    assert "Select a valid choice. XX is not one of the available choices." in page
    page = send(Client(), 1, **{**ANSWERS, "narrative": "hello\x00there"}).content.decode()
    assert "Remove the invisible control characters" in page


@pytest.mark.django_db
def test_child_in_danger_shows_the_countrys_numbers_first_and_is_critical(org_a: Any) -> None:
    Hotline.objects.create(country="ES", kind=HotlineKind.CHILD_HELPLINE, name="Línea demo", phone="555-0101")
    Hotline.objects.create(
        country="ES", kind=HotlineKind.EMERGENCY, name="Emergencias demo", phone="555-0100"
    )
    Hotline.objects.create(country="FR", kind=HotlineKind.EMERGENCY, name="Urgences démo", phone="555-0110")
    answers = {**ANSWERS, "child_in_danger": "yes"}
    page = send(Client(), 0, **answers).content.decode()
    emergency = page.index('class="emergency"')
    assert emergency < page.index("<h1>Make a report</h1>")
    assert page.index("Emergencias demo") < page.index("Línea demo")
    assert 'href="tel:555-0101"' in page and "Urgences démo" not in page
    response = send(Client(), 4, "submit", follow=True, **answers)
    assert response.status_code == 200
    assert "Emergencias demo" in response.content.decode()
    assert Report.objects.get().urgency == Urgency.CRITICAL


@pytest.mark.django_db
def test_honeypot_pretends_success_and_stores_nothing(org_a: Any) -> None:
    response = send(Client(), 4, "submit", **{**ANSWERS, "website": "http://spam.example"})
    assert response.status_code == 200
    assert "Your receipt code" in response.content.decode()
    assert Report.objects.count() == 0


@pytest.mark.django_db
def test_submissions_are_rate_limited(org_a: Any, settings: Any) -> None:
    settings.INTAKE_PUBLIC_REPORT_RATE = "2/h"
    client = Client()
    codes = [send(client, 4, "submit", **ANSWERS).status_code for _ in range(3)]
    assert codes == [303, 303, 429]
    assert Report.objects.count() == 2


@pytest.mark.django_db
def test_form_is_translated_to_spanish() -> None:
    page = Client().get("/report/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "¿Hay un niño o una niña en peligro ahora mismo?" in page
    assert "Paso 1 de 6" in page
