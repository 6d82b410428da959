"""Custom fields in the HTCDS exchange: ``x_<key>`` extension columns beside the standard's.

Only person and case fields travel (one value per case, as a row is one case); assessment and
follow-up fields belong to records the file does not carry. A de-identified export carries no
custom field: an organisation's free fields may identify a child.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError

from safeguard.accounts.access import Actor
from safeguard.customfields import values as custom_values
from safeguard.customfields.models import CASE_LEVEL_FORMS, FieldDefinition, FieldValue
from safeguard.customfields.selectors import readable_definitions
from safeguard.customfields.services import custom_values_save, fillable_definitions

if TYPE_CHECKING:
    from safeguard.cases.htcds import FieldError
    from safeguard.cases.models import Case

EXTENSIONS = "x"  # the key of a parsed row's custom values


def export_definitions(actor: Actor) -> list[FieldDefinition]:
    """The extension columns an export carries for ``actor``: the person and case fields their
    roles may see, retired ones too (their values are kept)."""
    return readable_definitions(actor, forms=tuple(CASE_LEVEL_FORMS))


def extension_cells(
    definitions: Sequence[FieldDefinition], case_ids: Iterable[int]
) -> dict[int, dict[str, str]]:
    """case id → {x_<key>: cell} for every case (empty cells where no value), in one query."""
    cells = {case_id: {definition.column: "" for definition in definitions} for case_id in case_ids}
    by_id = {definition.pk: definition for definition in definitions}
    rows = FieldValue.objects.filter(case_id__in=list(cells), record_id=0, definition_id__in=by_id)
    for row in rows:
        definition = by_id[row.definition_id]
        cells[row.case_id][definition.column] = custom_values.to_text(definition, row.value)
    return cells


def import_definitions(actor: Actor) -> list[FieldDefinition]:
    """The extension columns an import accepts from ``actor``: the active person and case fields
    they may fill."""
    return [definition for form in CASE_LEVEL_FORMS for definition in fillable_definitions(actor, form)]


def parse_extensions(
    row: Mapping[str, str], definitions: Sequence[FieldDefinition], number: int
) -> tuple[dict[FieldDefinition, Any], list[FieldError]]:
    """The row's custom values (only columns the file has), and an error per bad cell."""
    from safeguard.cases.htcds import FieldError

    found: dict[FieldDefinition, Any] = {}
    errors = []
    for definition in definitions:
        text = row.get(definition.column, "")
        try:
            stored = custom_values.clean_input(definition, text)
        except ValidationError as error:
            errors.append(FieldError(number, definition.column, " ".join(error.messages)))
            continue
        if stored is not None:
            found[definition] = stored
    return found, errors


def save_extensions(*, actor: Actor, case: Case, values: Mapping[FieldDefinition, Any]) -> None:
    for form in CASE_LEVEL_FORMS:
        of_form = {definition.key: stored for definition, stored in values.items() if definition.form == form}
        if of_form:
            custom_values_save(actor=actor, case=case, form=form, values=of_form)
