"""Importing and exporting a whole profile: all or nothing, with a problem per entry, field and
CSV line; who may maintain the registry."""

from __future__ import annotations

import copy
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from safeguard.accounts.models import User
from safeguard.core.models import AuditEvent
from safeguard.legal.models import Authority, Jurisdiction, Law, LegalEditor, Provision, ReportingDuty
from safeguard.legal.selectors import stale_entries
from safeguard.legal.services import profiles, registry
from safeguard.testing.fixtures import make_member

pytestmark = pytest.mark.django_db

DOCUMENT: dict[str, Any] = {
    "format": profiles.FORMAT,
    "jurisdiction": {
        "code": "PT", "name": "Testugal (illustrative)", "is_illustrative": True, "age_of_majority": 18,
        "minimum_working_age": 16, "hazardous_work_age": 18, "source": "test", "last_verified": "2026-11-01",
    },
    "instrument_statuses": [{"instrument": "palermo", "status": "ratified", "ratified_on": "2004-05-10"}],
    "laws": [
        {
            "citation": "Test Law 9", "title": "Test Trafficking Law", "enacted_on": "2019-01-01",
            "provisions": [
                {"article": "3", "kind": "offence", "summary": "Trafficking (test).", "penalty_min_years": "3",
                 "penalty_max_years": "10", "exploitation_types": ["ForcedLabour", "SexualExploitation"]},
                {"article": "9", "kind": "reporting_duty", "summary": "Teachers report (test)."},
            ],
        }
    ],
    "authorities": [{"name": "Test Police PT", "kind": "police", "phone": "555-0100"}],
    "reporting_duties": [
        {"title": "Teachers report (test)", "professions": ["teacher"], "organisation_kinds": [], "what": "Suspicions",
         "authority_kind": "police", "authority": "Test Police PT", "within_hours": 24, "provision": "Test Law 9#9"},
    ],
}  # fmt: skip


@pytest.fixture
def root(db: None) -> User:
    return User.objects.create_user(
        email="root@example.org", password="x", name="Root", is_platform_admin=True
    )


def counts() -> tuple[int, ...]:
    return (
        Jurisdiction.objects.count(),
        Law.objects.count(),
        Provision.objects.count(),
        Authority.objects.count(),
        ReportingDuty.objects.count(),
    )


def test_a_whole_profile_is_imported_and_a_second_import_changes_nothing(root, instrument) -> None:
    result = profiles.profile_import(user=root, document=copy.deepcopy(DOCUMENT))
    assert result.ok, result.problems
    assert result.counts == {
        "jurisdiction": 1,
        "instrument_status": 1,
        "law": 1,
        "provision": 2,
        "authority": 1,
        "duty": 1,
    }
    duty = ReportingDuty.objects.get()
    assert (duty.authority.name, duty.provision.article, duty.within_hours) == ("Test Police PT", "9", 24)  # type: ignore[union-attr]
    assert AuditEvent.objects.filter(action="legal.profile.imported").count() == 1
    before = counts()
    assert profiles.profile_import(user=root, document=copy.deepcopy(DOCUMENT)).ok
    assert counts() == before == (1, 1, 2, 1, 1)


def test_a_profile_with_problems_imports_nothing_and_names_every_problem(root, instrument) -> None:
    document = copy.deepcopy(DOCUMENT)
    document["laws"][0]["provisions"][0]["penalty_max_years"] = "2"  # below the minimum of 3
    document["laws"][0]["provisions"][1]["kind"] = "rumour"
    document["authorities"][0]["email"] = "not an e-mail"
    document["reporting_duties"][0]["within_hours"] = "soon"
    document["instrument_statuses"][0]["instrument"] = "no-such-treaty"
    result = profiles.profile_import(user=root, document=document)
    assert not result.ok
    assert sorted((p.where, p.field) for p in result.problems) == [
        ("authorities[0]", "email"),
        ("instrument_statuses[0]", "instrument"),
        ("laws[0].provisions[0]", "penalty_max_years"),
        ("laws[0].provisions[1]", "kind"),
        ("reporting_duties[0]", "within_hours"),
    ]
    # Nothing was half-imported: the jurisdiction and the law, which were valid, are gone too.
    assert counts() == (0, 0, 0, 0, 0)
    assert not AuditEvent.objects.filter(action__startswith="legal.").exists()


def test_csv_round_trip_and_problems_with_their_line(root, instrument) -> None:
    assert profiles.profile_import(user=root, document=copy.deepcopy(DOCUMENT)).ok
    exported = profiles.profile_export(Jurisdiction.objects.get(code="PT"))
    text = profiles.profile_to_csv(exported)
    assert text.splitlines()[0] == "record,key,field,value"
    document, lines = profiles.profile_from_csv(text)
    Jurisdiction.objects.all().delete()
    assert profiles.profile_import(user=root, document=document, lines=lines).ok
    assert profiles.profile_export(Jurisdiction.objects.get(code="PT")) == exported
    broken = text.replace("penalty_max_years,10.0", "penalty_max_years,ten")
    document, lines = profiles.profile_from_csv(broken)
    result = profiles.profile_import(user=root, document=document, lines=lines)
    (problem,) = result.problems
    line = next(
        n
        for n, row in enumerate(broken.splitlines(), start=1)
        if row.startswith("provision,Test Law 9#3#offence")
    )
    assert (problem.where, problem.field, problem.line) == (
        "laws[0].provisions[0]",
        "penalty_max_years",
        line,
    )
    assert Provision.objects.get(article="3").penalty_max_years == 10


def test_a_csv_without_its_header_is_refused(root) -> None:
    document, _lines = profiles.profile_from_csv("code,name\nPT,Testugal\n")
    result = profiles.profile_import(user=root, document=document)
    assert [p.where for p in result.problems] == ["format"]


def test_a_forced_failure_mid_import_leaves_nothing(root, instrument, monkeypatch) -> None:
    calls = {"n": 0}
    original = profiles._import_duty

    def failing(*args: Any, **kwargs: Any) -> None:
        calls["n"] += 1
        raise RuntimeError("disk full")

    monkeypatch.setattr(profiles, "_import_duty", failing)
    with pytest.raises(RuntimeError):
        profiles.profile_import(user=root, document=copy.deepcopy(DOCUMENT))
    assert calls["n"] == 1 and counts() == (0, 0, 0, 0, 0)
    monkeypatch.setattr(profiles, "_import_duty", original)


def test_editors_maintain_only_their_jurisdiction(root, gb, instrument, org_b) -> None:
    editor = make_member(org_b, "analyst", email="ed@team.example")
    with pytest.raises(PermissionDenied):
        profiles.profile_import(
            user=editor, document=copy.deepcopy(DOCUMENT)
        )  # a new jurisdiction: admins only
    registry.legal_editor_grant(user=root, jurisdiction=gb, email="ed@team.example")
    law = registry.registry_entry_save(
        user=editor, entry=Law(jurisdiction=gb, title="Editor's law", citation="E-1")
    )
    assert law.pk and AuditEvent.objects.filter(action="legal.law.created", actor=editor).count() == 1
    pt = Jurisdiction.objects.create(code="PT", name="Testugal")
    with pytest.raises(PermissionDenied):
        registry.registry_entry_save(
            user=editor, entry=Law(jurisdiction=pt, title="Not mine", citation="N-1")
        )
    with pytest.raises(PermissionDenied):
        registry.registry_entry_delete(user=editor, entry=gb)
    with pytest.raises(PermissionDenied):
        registry.legal_editor_grant(user=editor, jurisdiction=pt, email="ed@team.example")
    assert not Law.objects.filter(citation="N-1").exists()
    assert LegalEditor.objects.filter(user=editor).count() == 1


def test_stale_entries_are_flagged(gb, police, settings) -> None:
    settings.LEGAL_STALE_DAYS = 100
    Authority.objects.filter(pk=police.pk).update(last_verified=timezone.localdate() - timedelta(days=101))
    law = Law.objects.create(jurisdiction=gb, title="Never checked", citation="NC", last_verified=None)
    # The status in the fixture was never verified either.
    assert {type(entry).__name__ for entry in stale_entries(gb)} == {"Authority", "InstrumentStatus", "Law"}
    assert law.is_stale() and not gb.is_stale()
    assert gb.is_stale(today=date.today() + timedelta(days=101))
