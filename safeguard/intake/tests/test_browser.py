"""End to end in Chromium: a report made in Spanish on a phone, followed up with its receipt;
an operator triages it, asks a question and routes it; the reporter answers."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from safeguard.directory.models import Hotline, HotlineKind
from safeguard.intake.choices import Status, Urgency
from safeguard.intake.models import Report, ReportRoute
from safeguard.testing.browser import DESKTOP, PHONE, screenshot, sign_in
from safeguard.testing.fixtures import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_spanish_phone_report_follow_up_and_triage(page: Any, org_a: Any, org_b: Any, bob: Any) -> None:
    Hotline.objects.create(
        country="ES",
        kind=HotlineKind.EMERGENCY,
        name="Emergencias (demo, ficticio)",
        phone="555-0100",
        hours="24/7",
    )
    Hotline.objects.create(
        country="ES", kind=HotlineKind.CHILD_HELPLINE, name="Línea infantil (demo)", phone="555-0101"
    )
    page.set_default_timeout(60_000)  # the live server is slow under load
    expect.set_options(timeout=30_000)
    page.set_viewport_size(PHONE)
    page.goto(page.base_url + "/report/")
    page.select_option("#language", "es")
    page.wait_for_selector("html[lang=es]")

    # Step 1: safety first
    page.get_by_label("Sí, hay un niño o una niña en peligro ahora mismo").check()
    page.get_by_label("País").select_option("ES")
    page.get_by_role("button", name="Siguiente").click()
    # Step 2: the emergency numbers come before anything else
    emergency = page.get_by_role("alert").filter(has_text="pida ayuda ahora")
    assert "555-0100" in emergency.inner_text()
    screenshot(page, "intake-es-phone-emergency")
    page.get_by_role("button", name="Siguiente").click()
    expect(page.get_by_text("Cuéntenos qué pasó; bastan unas pocas palabras.").first).to_be_visible()
    page.get_by_label("¿Qué pasó?").fill(
        "Una niña de unos 11 años vende flores de noche en la ficticia Plaza Inventada."
    )
    page.get_by_label("¿Dónde pasó?").select_option("ES-MD")
    page.get_by_label("Está pasando ahora").check()
    page.get_by_role("button", name="Siguiente").click()
    # Step 3: people
    page.get_by_label("Niño/a 1: edad aproximada").fill("11")
    page.get_by_role("button", name="Siguiente").click()
    # Step 4: signs and identifiers
    page.get_by_label("Un niño o una niña no va a la escuela").check()
    page.get_by_label("Números de teléfono").fill("+44 7700 900123")
    screenshot(page, "intake-es-phone-signs")
    page.get_by_role("button", name="Siguiente").click()
    # Step 5: about you, then the review of every answer, then send (the page's script posts it)
    page.get_by_role("button", name="Revisar sus respuestas").click()
    expect(page.get_by_text("Último paso: revise sus respuestas")).to_be_visible()
    page.get_by_role("button", name="Enviar la denuncia").click()
    page.wait_for_selector(".receipt")
    receipt = re.sub(r"\s+", "", page.locator(".receipt").inner_text())
    assert re.fullmatch(r"([0-9A-Z]{4}-){5}[0-9A-Z]{4}", receipt), receipt
    expect(page.get_by_role("heading", name="Gracias. Hemos recibido su denuncia.")).to_be_visible()
    screenshot(page, "intake-es-phone-receipt")
    report = Report.objects.get()
    assert (report.urgency, report.language, report.country) == (Urgency.CRITICAL, "es", "ES")

    # Follow up with the receipt
    page.locator("main a[href='/report/follow-up/?lang=es']").click()
    page.get_by_label("Código de recibo").fill(receipt.lower())
    page.get_by_role("button", name="Abrir mi denuncia").click()
    expect(page.get_by_text("Recibida").first).to_be_visible()
    screenshot(page, "intake-es-phone-follow-up")

    # An operator triages it, asks a question and routes it
    page.context.clear_cookies()
    page.set_viewport_size(DESKTOP)
    sign_in(page, bob, TEST_PASSWORD)
    page.goto(page.base_url + "/reports/")
    screenshot(page, "intake-operator-queue")
    page.get_by_role("link", name=report.reference).click()
    expect(page.get_by_text("The reporter says a child is in danger right now")).to_be_visible()
    page.get_by_label("Assign to").select_option(str(bob.pk))
    page.get_by_role("button", name="Assign").click()
    page.get_by_label("Ask the reporter a question").fill("¿A qué hora la vio?")
    page.get_by_role("button", name="Ask", exact=True).click()
    page.get_by_label("Route to").select_option(str(org_b.pk))
    page.get_by_role("button", name="Route", exact=True).click()
    expect(page.get_by_text("Report routed to Beta Foundation.")).to_be_visible()
    screenshot(page, "intake-operator-report")
    report.refresh_from_db()
    assert (report.assigned_to, report.status) == (bob, Status.REFERRED)
    assert ReportRoute.objects.filter(report=report, organisation=org_b).exists()

    # The reporter sees the question and answers it
    page.context.clear_cookies()
    page.set_viewport_size(PHONE)
    page.goto(page.base_url + "/report/follow-up/")
    page.get_by_label("Receipt code").fill(receipt)
    page.get_by_role("button", name="Open my report").click()
    expect(page.get_by_text("¿A qué hora la vio?")).to_be_visible()
    page.get_by_label("Answer a question or add information (optional)").fill("Hacia las 23:00.")
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.get_by_text("Your message was added")).to_be_visible()
    screenshot(page, "intake-phone-follow-up-answered")
    assert list(report.messages.values_list("direction", "body")) == [
        ("question", "¿A qué hora la vio?"),
        ("reporter", "Hacia las 23:00."),
    ]
