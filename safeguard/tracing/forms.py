"""Forms of the tracing pages. No form takes a file: people are described, never photographed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safeguard.cases.models import Team
from safeguard.core.picklists import Gender
from safeguard.core.widgets import DateInput
from safeguard.tracing.models import (
    ActionKind,
    ActionResult,
    BestInterestDecision,
    Relationship,
    TracingClosureReason,
    VisitOutcome,
)

DESCRIBE = _("Describe the person in words (height, build, marks, clothes). Never upload or attach a photo.")
PLACE_HELP = _("An ISO 3166 country or region code, for example NG or NG-KN.")


def _names(value: str) -> list[str]:
    return [name.strip() for name in value.split(",") if name.strip()]


def _text(rows: int = 3, required: bool = False, **kwargs: Any) -> forms.CharField:
    return forms.CharField(widget=forms.Textarea(attrs={"rows": rows}), required=required, **kwargs)


class TracingRequestForm(forms.Form):
    sought_name = forms.CharField(label=_("Name of the person sought"), max_length=200)
    sought_aliases = forms.CharField(
        label=_("Other names"), required=False, help_text=_("Separate names with commas.")
    )
    relationship = forms.ChoiceField(label=_("Relationship to the child"), choices=Relationship.choices)
    sought_age = forms.IntegerField(label=_("Approximate age"), min_value=0, max_value=120, required=False)
    sought_sex = forms.ChoiceField(
        label=_("Sex"), choices=Gender.choices, initial=Gender.NON_SPECIFIED_UNKNOWN
    )
    physical_description = _text(label=_("Physical description"), help_text=DESCRIBE)
    last_known_place = forms.CharField(
        label=_("Last known place"), max_length=6, required=False, help_text=PLACE_HELP
    )
    last_known_address = forms.CharField(label=_("Last known address or locality"), required=False)
    separated_on = forms.DateField(label=_("Date of separation"), widget=DateInput, required=False)
    circumstances = _text(label=_("Circumstances of separation"))

    def sought_person(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        return {
            "name": data["sought_name"],
            "aliases": _names(data["sought_aliases"]),
            "relationship": data["relationship"],
            "age": data["sought_age"],
            "sex": data["sought_sex"],
            "physical_description": data["physical_description"],
            "last_known_place": data["last_known_place"],
            "last_known_address": data["last_known_address"],
            "separated_on": data["separated_on"],
            "circumstances": data["circumstances"],
        }


class EnquiryForm(forms.Form):
    enquirer_name = forms.CharField(label=_("Name of the person asking"), max_length=200)
    enquirer_relationship = forms.ChoiceField(
        label=_("Their relationship to the child"), choices=Relationship.choices
    )
    enquirer_contact = forms.CharField(label=_("How to reach them"), required=False)
    child_name = forms.CharField(label=_("Name of the child sought"), max_length=200)
    child_aliases = forms.CharField(
        label=_("Other names of the child"), required=False, help_text=_("Separate names with commas.")
    )
    child_age = forms.IntegerField(
        label=_("Approximate age of the child now"), min_value=0, max_value=30, required=False
    )
    child_sex = forms.ChoiceField(
        label=_("Sex of the child"), choices=Gender.choices, initial=Gender.NON_SPECIFIED_UNKNOWN
    )
    physical_description = _text(label=_("Physical description of the child"), help_text=DESCRIBE)
    last_known_place = forms.CharField(
        label=_("Where the child was last seen"), max_length=6, required=False, help_text=PLACE_HELP
    )
    separated_on = forms.DateField(label=_("Date of separation"), widget=DateInput, required=False)
    circumstances = _text(label=_("Circumstances of separation"))
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False)

    def __init__(self, *args: Any, organisation: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        team = self.fields["team"]
        assert isinstance(team, forms.ModelChoiceField)
        team.queryset = Team.objects.filter(organisation=organisation)

    def details(self) -> dict[str, Any]:
        data = {name: value for name, value in self.cleaned_data.items() if name != "team"}
        data["child_aliases"] = _names(data["child_aliases"])
        return data


class TracingActionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of action"), choices=ActionKind.choices)
    done_on = forms.DateField(label=_("Date"), widget=DateInput, initial=timezone.localdate)
    result = forms.ChoiceField(label=_("Result"), choices=ActionResult.choices)
    notes = _text(label=_("Notes"))


class MatchDecisionForm(forms.Form):
    confirm = forms.TypedChoiceField(
        label=_("Is the enquiry about this child?"),
        choices=[("yes", _("Yes: confirm the match")), ("no", _("No: reject the match"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    note = _text(label=_("Note"), help_text=_("How the identity was checked, or why it is not the child."))


class BestInterestForm(forms.Form):
    participants = forms.CharField(label=_("Who took part"), required=False)
    considerations = _text(rows=5, required=True, label=_("Considerations"))
    child_views = _text(label=_("The child's views"))
    decision = forms.ChoiceField(
        label=_("Decision"), choices=BestInterestDecision.choices, widget=forms.RadioSelect
    )
    decided_on = forms.DateField(
        label=_("Date of the decision"), widget=DateInput, initial=timezone.localdate
    )


class ReunificationForm(forms.Form):
    reunified_on = forms.DateField(
        label=_("Date of reunification"), widget=DateInput, initial=timezone.localdate
    )
    with_whom = forms.CharField(
        label=_("Reunified with"), help_text=_("The name of the family member or members.")
    )
    relationship = forms.ChoiceField(label=_("Their relationship to the child"), choices=Relationship.choices)
    place = forms.CharField(label=_("Place"), max_length=6, required=False, help_text=PLACE_HELP)
    address = forms.CharField(label=_("Address or locality"), required=False)
    notes = _text(label=_("Notes"))


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=_("Date of the visit"), widget=DateInput, initial=timezone.localdate)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=VisitOutcome.choices)
    notes = _text(label=_("Notes"))


class CloseRequestForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason for closing"), choices=TracingClosureReason.choices)
    note = _text(label=_("Note"), help_text=_('Required when the reason is "Other".'))


class CloseEnquiryForm(forms.Form):
    note = _text(required=True, label=_("Why is the enquiry closed?"))
