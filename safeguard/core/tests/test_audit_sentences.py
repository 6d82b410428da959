"""Every audit action code the source writes has a translated sentence; an unknown one still reads."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from safeguard.core import audit_sentences
from safeguard.core.audit_scan import written_codes
from safeguard.core.audit_sentences import SENTENCES, audit_sentence

SOURCE = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"\{(\w*)\}")


def test_every_code_written_in_the_source_has_a_sentence() -> None:
    found = written_codes(SOURCE)

    assert found.unresolved == [], "teach safeguard/core/audit_scan.py how these codes are built"
    assert sorted(found.codes - SENTENCES.keys()) == [], "add a sentence to safeguard/core/audit_sentences.py"


def test_the_scan_follows_wrappers_helpers_and_choices() -> None:
    codes = written_codes(SOURCE).codes

    # A literal, a conditional, a wrapper's parameter, a helper returning an f-string, a
    # ``TextChoices`` parameter and a registry model's name.
    assert {
        "report.assigned",
        "member.deactivated",
        "member.reactivated",
        "hotline.proposal_rejected",
        "collaboration.request_declined",
        "sharing.transfer_sent",
        "sharing.handover_declined",
        "case.registered",
        "case.tracing_closed",
        "legal.matter.opened",
        "legal.provision.deleted",
        "tracing.enquiry_matched",
        "auth.signed_in",
    } <= codes
    assert len(codes) >= 250


def test_a_new_code_without_a_sentence_is_caught(tmp_path: Path) -> None:
    (tmp_path / "services.py").write_text(
        "def _audit(verb, peer):\n"
        "    audit_record(action=f'widget.{verb}', target=peer)\n"
        "def widget_break(peer):\n"
        "    _audit('broken' if peer else 'lost', peer)\n"
        "    audit_record(action=compute_action(), target=peer)\n"
    )

    found = written_codes(tmp_path)

    assert found.codes == {"widget.broken", "widget.lost"}
    assert len(found.unresolved) == 1 and "compute_action()" in found.unresolved[0]


def test_sentences_name_only_the_actor_and_the_record() -> None:
    unknown = {
        code: names
        for code, template in SENTENCES.items()
        if (names := set(PLACEHOLDER.findall(str(template))) - {"actor", "object"})
    }
    assert unknown == {}


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_every_sentence_fills_in_every_language(language: str) -> None:
    with translation.override(language):
        sentences = {
            code: audit_sentence(code, actor="Oscar Operator", object_label="SG-TEST") for code in SENTENCES
        }
        fallback = str(audit_sentences.FALLBACK).format(actor="Oscar Operator", object="SG-TEST")

    # A broken translation would read as the fallback; no sentence may end up as it.
    assert [code for code, sentence in sentences.items() if sentence == fallback] == []
    assert all("{" not in sentence for sentence in sentences.values())


def test_spanish_sentences_say_denuncia_for_a_report() -> None:
    with translation.override("es"):
        sentence = audit_sentence("report.assigned", actor="Oscar Operator", object_label="SG-7K2M")
        received = audit_sentence("report.received", actor="El sistema", object_label="SG-7K2M")

    assert sentence == "Oscar Operator asignó la denuncia SG-7K2M"
    assert received == "Se recibió la denuncia SG-7K2M"


def test_an_unknown_code_reads_as_a_generic_sentence() -> None:
    assert (
        audit_sentence("retired.code", actor="Oscar Operator", object_label="#13")
        == "Oscar Operator recorded an action on #13"
    )
    assert (
        audit_sentence("retired.code", actor="The system", object_label="") == "The system recorded an action"
    )
    with translation.override("fr"):
        assert (
            audit_sentence("retired.code", actor="Oscar", object_label="#13")
            == "Oscar a enregistré une action sur #13"
        )


def test_a_broken_template_falls_back_instead_of_failing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(SENTENCES, "report.assigned", "{actor} assigned {reference}")

    sentence = audit_sentence("report.assigned", actor="Oscar Operator", object_label="SG-7K2M")

    assert sentence == "Oscar Operator recorded an action on SG-7K2M"
