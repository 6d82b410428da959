"""Intake, cases and analytics key an identifier the same way (issue 11, one normal form)."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pypdf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safeguard.analytics import records
from safeguard.analytics.models import Entity, Mention
from safeguard.analytics.services.entities import entity_index, records_extract_all
from safeguard.cases.services.registration import phone_index
from safeguard.core.fields import blind_index_for
from safeguard.intake.identifiers import parse_identifier
from safeguard.intake.models import Report, ReportIdentifier

typed_values = st.one_of(
    st.text(max_size=30),
    st.integers(min_value=600_000_000, max_value=699_999_999).map(lambda n: f"{n // 1000} {n % 1000:03d}"),
    st.sampled_from(
        ["+34 612-345-678", "07700 9001", "Vex@Example.org", "@vex_doe", "www.x.example/a/", "ab 12"]
    ),
)


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(["phone", "email", "handle", "url", "plate"]),
    typed_values,
    st.sampled_from(["ES", "GB", ""]),
)
def test_intake_and_analytics_give_the_same_blind_key(kind: str, typed: str, region: str) -> None:
    if not typed.strip():
        return
    parsed = parse_identifier(kind, typed.strip(), region=region)
    intake_index = blind_index_for(parsed.normalised, purpose=kind)
    entity = records._identifier_entity(kind, typed.strip(), region or None)[0]
    assert entity_index(str(entity.kind), entity.key) == intake_index
    if kind == "phone":
        assert phone_index(typed, region=region) == intake_index


@pytest.mark.django_db
def test_the_same_phone_typed_two_ways_links_a_report_and_a_second_report(
    submit: Callable[..., Report],
) -> None:
    first = submit(identifiers=[("phone", "612 345 678")])
    second = submit(identifiers=[("phone", "+34 612-345-678")])
    indexes = set(
        ReportIdentifier.objects.filter(report__in=[first, second]).values_list("value_index", flat=True)
    )
    assert len(indexes) == 1
    records_extract_all()
    entity = Entity.objects.get(kind="phone")
    assert entity.key_index == indexes.pop()
    assert Mention.objects.filter(entity=entity).count() == 2


@pytest.mark.django_db
def test_an_unverified_number_links_only_to_the_same_string_and_is_flagged(
    submit: Callable[..., Report], client_for: Any, bob: Any, analyst_a: Any
) -> None:
    first = submit(country="GB", identifiers=[("phone", "07700 9001")])
    second = submit(country="GB", identifiers=[("phone", "077009001")])
    submit(country="GB", identifiers=[("phone", "07700 9002")])
    row = ReportIdentifier.objects.get(report=first)
    assert (row.value, row.normalised, row.is_valid) == ("07700 9001", "07700 9001", False)
    records_extract_all()
    entity = Entity.objects.get(kind="phone", mentions__record_id=first.pk)
    assert set(entity.mentions.values_list("record_id", flat=True)) == {first.pk, second.pk}

    report_page = client_for(bob).get(f"/reports/{first.pk}/").content.decode()
    assert "could not be verified: kept as reported" in report_page
    assert "+44077009001" not in report_page
    client = client_for(analyst_a)
    entity_page = client.get(f"/analytics/entities/{entity.pk}/").content.decode()
    assert "could not be verified: kept as reported" in entity_page
    assert client.get(f"/api/v1/analytics/entities/{entity.pk}").json()["verified"] is False


@pytest.mark.django_db
def test_the_escalation_package_and_pdf_flag_an_unverified_number(
    submit: Callable[..., Report], bob: Any, org_a: Any
) -> None:
    from safeguard.intake import pdf
    from safeguard.intake.services.escalation import escalation_package

    report = submit(country="GB", identifiers=[("phone", "07700 9001"), ("phone", "+34 612 345 678")])
    package = escalation_package(report, escalated_by=bob, organisation=org_a, summary="")
    by_value = {row["value"]: row for row in package["identifiers"]}
    assert by_value["07700 9001"]["verified"] is False
    assert by_value["07700 9001"]["normalised"] == ""  # never presented as normalised
    assert (by_value["+34 612 345 678"]["verified"], by_value["+34 612 345 678"]["normalised"]) == (
        True,
        "+34612345678",
    )
    document = pdf.escalation_pdf(package)
    assert document.startswith(b"%PDF-")
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(document)).pages)
    assert "Phone number: 07700 9001 (could not be verified: kept as reported)" in text
    assert "+34 612 345 678 → +34612345678" in text
    assert "+44077009001" not in text


@pytest.mark.django_db
def test_rekey_identifiers_recomputes_keys_stored_by_the_old_normal_form(
    submit: Callable[..., Report],
) -> None:
    from django.core.management import call_command

    from safeguard.core.audit import AuditEvent

    report = submit(country="GB", identifiers=[("phone", "07700 9001")])
    # What the old intake stored: "possible" numbers were E.164 and looked valid.
    ReportIdentifier.objects.filter(report=report).update(
        normalised="+44077009001", value_index=blind_index_for("+44077009001", purpose="phone"), is_valid=True
    )
    call_command("rekey_identifiers", stdout=open("/dev/null", "w"))  # noqa: SIM115
    row = ReportIdentifier.objects.get(report=report)
    assert (row.normalised, row.is_valid) == ("07700 9001", False)
    assert row.value_index == blind_index_for("07700 9001", purpose="phone")
    assert AuditEvent.objects.filter(action="intake.identifiers_rekeyed").count() == 1
