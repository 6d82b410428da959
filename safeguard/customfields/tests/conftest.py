"""The cast of the case tests (cases/tests/conftest.py), plus custom fields to fill.

Alice is org A's admin and defines the fields; Cara (team North) and Carl (no team) are org A's
caseworkers, Sue its supervisor; Charlie (admin) and Bert (caseworker) are org B's.
"""

from __future__ import annotations

import pytest

from safeguard.accounts.models import Organisation, User
from safeguard.cases.tests.conftest import *  # noqa: F403
from safeguard.customfields.models import FieldDefinition
from safeguard.customfields.services import FieldSettings, field_define
from safeguard.testing.fixtures import actor_of


@pytest.fixture
def school_field(alice: User, org_a: Organisation) -> FieldDefinition:
    """A person field of org A: a choice list, required, translated to Spanish."""
    return field_define(
        actor=actor_of(alice, org_a),
        form="person",
        key="schooling",
        kind="choice",
        settings_=FieldSettings(
            label="Schooling",
            help_text="Where the child goes to school",
            section="Education",
            required=True,
            translations={"es": {"label": "Escolarización", "section": "Educación"}},
            choices=[
                {"value": "school", "label": "In school", "translations": {"es": "En la escuela"}},
                {"value": "none", "label": "Not in school", "translations": {}},
            ],
        ),
    )


@pytest.fixture
def supervisor_note_field(alice: User, org_a: Organisation) -> FieldDefinition:
    """A case field of org A that only supervisors may see."""
    return field_define(
        actor=actor_of(alice, org_a),
        form="case",
        key="safety_note",
        kind="text",
        settings_=FieldSettings(label="Safety note", visible_to=["supervisor"]),
    )
