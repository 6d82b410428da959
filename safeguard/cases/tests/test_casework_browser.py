"""The case-management forms in Chromium, as their users drive them: a typed note and its
documents, a flag raised and resolved, a bulk reassignment and a saved view, and an
organisation's own field on the case form."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from safeguard.accounts.models import Organisation, User
from safeguard.cases.models import Case, CaseDocument, CaseFlag, CaseNote, SavedView
from safeguard.cases.tests.conftest import register
from safeguard.customfields.models import FieldDefinition
from safeguard.testing.browser import PHONE, screenshot, sign_in
from safeguard.testing.fixtures import TEST_PASSWORD, actor_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17


def minimal_pdf() -> bytes:
    """A one-page PDF with a correct cross-reference table."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


def as_user(page: Any, user: User) -> None:
    # A TOTP code is accepted once; signing the same person in again within its 30 seconds
    # stands for them typing the next code.
    TOTPDevice.objects.filter(user=user).update(last_t=-1)
    page.context.clear_cookies()
    sign_in(page, user, TEST_PASSWORD)


def patient(page: Any) -> None:
    page.set_default_timeout(60_000)  # the live server is slow on a loaded machine
    expect.set_options(timeout=30_000)
    page.goto(page.base_url + "/accounts/login/", timeout=120_000)


def test_a_visit_note_and_its_documents(page: Any, cara: User, org_a: Organisation) -> None:
    case = register(actor_of(cara, org_a), first_name="Nala")
    patient(page)
    as_user(page, cara)

    page.goto(f"{page.base_url}/cases/{case.pk}/")
    page.get_by_role("button", name="Write a note").click()
    page.get_by_label("Kind of note").select_option(label="Visit")
    page.get_by_label("Note:", exact=True).fill("Visited at the foster home; she is settling in.")
    page.get_by_role("button", name="Save note").click()
    expect(page.get_by_text("Note saved.")).to_be_visible()
    note = page.locator("section[aria-labelledby=notes] article.case-note")
    expect(note).to_have_count(1)
    expect(note.locator("header")).to_contain_text("Visit")
    expect(note.locator("header")).to_contain_text("Cara Caseworker")
    expect(note).to_contain_text("Visited at the foster home; she is settling in.")
    written = page.locator("ol.timeline li").first
    expect(written).to_contain_text("Case note written — Cara Caseworker")
    expect(written.locator(".timeline-summary")).to_have_text("Visit")
    assert CaseNote.objects.get(case=case).kind == "visit"

    page.get_by_role("button", name="Attach a document").click()
    page.get_by_label("Document (PDF, office document or plain text)").set_input_files(
        {"name": "visit-report.pdf", "mimeType": "application/pdf", "buffer": minimal_pdf()}
    )
    page.get_by_label("Attach to a note (optional)").select_option(index=1)
    page.get_by_role("button", name="Attach", exact=True).click()
    expect(page.get_by_text("Document attached.")).to_be_visible()
    documents = page.locator("section[aria-labelledby=documents] tbody")
    expect(documents.get_by_role("link", name="visit-report.pdf")).to_be_visible()
    expect(documents).to_contain_text("with the note of")
    expect(documents).to_contain_text("PDF")

    page.get_by_role("button", name="Attach a document").click()
    page.get_by_label("Document (PDF, office document or plain text)").set_input_files(
        {"name": "photo.pdf", "mimeType": "application/pdf", "buffer": PNG}
    )
    page.get_by_role("button", name="Attach", exact=True).click()
    expect(page.locator(".field-error")).to_contain_text(
        "This file is an image, audio or video. Only documents are accepted"
    )
    assert list(CaseDocument.objects.values_list("name", flat=True)) == ["visit-report.pdf"]
    screenshot(page, "casework-01-image-refused")
    page.get_by_role("link", name=case.reference).click()
    screenshot(page, "casework-02-note-and-document")


def test_a_flag_raised_by_the_caseworker_is_resolved_by_the_supervisor(
    page: Any, cara: User, sue: User, org_a: Organisation
) -> None:
    actor = actor_of(cara, org_a)
    flagged = register(actor, first_name="Ines")
    quiet = register(actor, first_name="Omar")
    patient(page)
    as_user(page, cara)

    page.goto(f"{page.base_url}/cases/{flagged.pk}/")
    page.get_by_role("button", name="Flag this case").click()
    page.get_by_label("Reason").select_option(label="Safety concern")
    page.get_by_label("Note").fill("An adult keeps waiting outside the school.")
    page.get_by_role("button", name="Raise flag").click()
    expect(page.get_by_text("Flag raised.")).to_be_visible()

    as_user(page, sue)
    page.goto(f"{page.base_url}/cases/")
    rows = page.locator("table tbody tr")
    expect(rows.filter(has_text=flagged.reference)).to_contain_text("Safety concern")
    expect(rows.filter(has_text=quiet.reference)).not_to_contain_text("Safety concern")
    filters = page.locator("form.filters")
    filters.get_by_label("Flags").select_option(label="Flagged (any reason)")
    filters.get_by_role("button", name="Filter").click()
    expect(rows.locator("td a")).to_have_text([flagged.reference])

    page.get_by_role("link", name=flagged.reference).click()
    flags = page.locator("section[aria-labelledby=flags]")
    expect(flags).to_contain_text("An adult keeps waiting outside the school.")
    flags.get_by_role("link", name="Resolve").click()
    expect(page.get_by_text("Safety concern: An adult keeps waiting outside the school.")).to_be_visible()
    page.get_by_label("How it was resolved").fill("School and police informed; escort arranged.")
    page.get_by_role("button", name="Resolve", exact=True).click()
    expect(page.get_by_text("Flag resolved.")).to_be_visible()
    expect(flags).to_contain_text("Resolved by Sue Supervisor")
    expect(flags).to_contain_text("School and police informed; escort arranged.")
    expect(flags.get_by_role("link", name="Resolve")).to_have_count(0)
    flag = CaseFlag.objects.get()
    assert flag.resolved_by == sue and flag.reason == "safety"
    screenshot(page, "casework-03-flag-resolved")

    page.goto(f"{page.base_url}/cases/?flag=any")
    expect(rows).to_have_text([re.compile("No cases match.")])


def test_bulk_reassign_then_a_saved_view(
    page: Any, cara: User, carl: User, sue: User, org_a: Organisation
) -> None:
    actor = actor_of(cara, org_a)
    first, second, stays = (register(actor, first_name=name) for name in ("Ada", "Ben", "Cyd"))
    patient(page)
    as_user(page, sue)

    page.goto(f"{page.base_url}/cases/")
    for case in (first, second):
        page.get_by_label(f"Select case {case.reference}").check()
    bulk = page.locator("form#bulk")
    bulk.get_by_label("Action").select_option("reassign")
    bulk.get_by_label(re.compile("^Reassign to")).select_option(label="Carl Caseworker")
    bulk.get_by_role("button", name="Apply to the selected cases").click()
    expect(page.get_by_text("2 cases reassigned to Carl Caseworker.")).to_be_visible()
    rows = page.locator("table tbody tr")
    for case in (first, second):
        expect(rows.filter(has_text=case.reference)).to_contain_text("Carl Caseworker")
    expect(rows.filter(has_text=stays.reference)).to_contain_text("Cara Caseworker")
    assert set(Case.objects.filter(owner=carl).values_list("pk", flat=True)) == {first.pk, second.pk}

    filters = page.locator("form.filters")
    filters.get_by_label("Owner").select_option(label="Carl Caseworker")
    filters.get_by_role("button", name="Filter").click()
    page.get_by_role("link", name="Reference").click()
    references = rows.locator("td:nth-child(2) > a")
    expect(references).to_have_text(sorted([first.reference, second.reference]))
    page.locator("details.saved-views summary").click()
    page.get_by_label("Name of the view").fill("Carl's cases")
    page.get_by_role("button", name="Save this list as a view").click()
    expect(page.get_by_text("View saved.")).to_be_visible()
    assert SavedView.objects.get().query == {"owner": str(carl.pk), "sort": "reference"}

    page.goto(f"{page.base_url}/cases/")
    expect(references).to_have_count(3)
    view_link = page.get_by_role("link", name="Carl's cases")
    delete = page.locator("details.saved-views").get_by_role("button", name="Delete")
    link_box, delete_box = view_link.bounding_box(), delete.bounding_box()
    assert link_box and delete_box
    assert abs(link_box["y"] + link_box["height"] / 2 - delete_box["y"] - delete_box["height"] / 2) < 12, (
        "the view's delete button sits on the view's line"
    )
    view_link.click()
    expect(page.locator("form.filters").get_by_label("Owner")).to_have_value(str(carl.pk))
    expect(references).to_have_text(sorted([first.reference, second.reference]))
    screenshot(page, "casework-04-saved-view-applied")

    page.set_viewport_size(PHONE)
    page.goto(f"{page.base_url}/cases/")
    expect(references).to_have_count(3)
    screenshot(page, "casework-05-case-list-phone")


def test_an_organisation_field_on_the_case_form(
    page: Any, alice: User, cara: User, bert: User, org_a: Organisation, org_b: Organisation
) -> None:
    case = register(actor_of(cara, org_a), first_name="Rosa")
    other = register(actor_of(bert, org_b), first_name="Tomas")
    patient(page)
    as_user(page, alice)

    page.goto(f"{page.base_url}/organisation/fields/")
    page.get_by_role("button", name="Add a field").click()
    page.get_by_label("Form:", exact=True).select_option(label="Case")
    page.get_by_label("Key:", exact=True).fill("schooling")
    page.get_by_label("Kind:", exact=True).select_option(label="Choice from a list")
    page.get_by_label("Label:", exact=True).fill("Schooling")
    page.get_by_label("Choices:", exact=True).fill("school | In school\nnone | Not in school")
    page.get_by_label("Caseworker", exact=True).check()
    page.get_by_label("Supervisor", exact=True).check()
    page.get_by_role("button", name="Save the field").click()
    expect(page.get_by_text("Field added. It is on its form now.")).to_be_visible()
    row = page.locator("tbody tr").filter(has_text="x_schooling")
    expect(row).to_contain_text("Schooling")
    expect(row).to_contain_text("Caseworker, Supervisor")
    screenshot(page, "casework-06-organisation-fields")
    assert FieldDefinition.objects.get().organisation == org_a

    as_user(page, cara)
    page.goto(f"{page.base_url}/cases/{case.pk}/")
    page.get_by_role("button", name="Edit details").click()
    page.get_by_label("Schooling").select_option(label="In school")
    page.get_by_role("button", name="Save details").click()
    expect(page.get_by_text("Details saved.")).to_be_visible()
    situation = page.locator("article").filter(has=page.get_by_role("heading", name="Situation"))
    shown = situation.locator("dl.custom-values")
    expect(shown).to_contain_text(re.compile(r"Schooling\s*In school"))
    label_box = shown.get_by_text("Schooling", exact=True).bounding_box()
    value_box = shown.get_by_text("In school", exact=True).bounding_box()
    assert label_box and value_box
    assert abs(label_box["y"] - value_box["y"]) < 4, "the value is beside its label, as the case's facts are"
    screenshot(page, "casework-07-organisation-field-on-the-case")
    page.get_by_role("button", name="Edit details").click()
    expect(page.get_by_label("Schooling")).to_have_value("school")  # the value is kept

    as_user(page, bert)
    page.goto(f"{page.base_url}/cases/{other.pk}/person/")
    expect(page.get_by_role("button", name="Save details")).to_be_visible()
    expect(page.get_by_label("Schooling")).to_have_count(0)
    page.goto(f"{page.base_url}/cases/{other.pk}/")
    expect(page.get_by_role("heading", name="Situation")).to_be_visible()
    expect(page.get_by_text("Schooling")).to_have_count(0)
