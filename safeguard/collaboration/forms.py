"""Forms of the collaboration pages. They check shapes; the services check the rules."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safeguard.accounts.models import Organisation, User
from safeguard.collaboration.models import (
    ActionStatus,
    ItemType,
    MemberRole,
    OperationStatus,
    Purpose,
    RequestKind,
    ShareLevel,
)
from safeguard.collaboration.services import AgreementTerms
from safeguard.core.widgets import DateInput


def _choose_from(form: forms.BaseForm, name: str, queryset: Any) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


DATE = DateInput()


def _in(days: int) -> Any:
    return timezone.localdate() + timedelta(days=days)


class AgreementForm(forms.Form):
    legal_basis = forms.CharField(
        label=_("Legal basis"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    purposes = forms.MultipleChoiceField(
        label=_("Purposes"), choices=Purpose.choices, widget=forms.CheckboxSelectMultiple
    )
    record_kinds = forms.MultipleChoiceField(
        label=_("Kinds of records"), choices=ItemType.choices, widget=forms.CheckboxSelectMultiple
    )
    max_level = forms.ChoiceField(
        label=_("Most detailed level"), choices=ShareLevel.choices, initial=ShareLevel.DEIDENTIFIED
    )
    retention_days = forms.IntegerField(label=_("Retention (days)"), min_value=1, max_value=3650, initial=365)
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE, initial=timezone.localdate)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE, initial=lambda: _in(365))

    def terms(self) -> AgreementTerms:
        data = self.cleaned_data
        return AgreementTerms(
            legal_basis=data["legal_basis"],
            purposes=list(data["purposes"]),
            record_kinds=list(data["record_kinds"]),
            max_level=data["max_level"],
            retention_days=data["retention_days"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
        )


class TaskForceForm(AgreementForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    purpose = forms.CharField(label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    jurisdictions = forms.CharField(
        label=_("Jurisdictions"),
        max_length=300,
        help_text=_("ISO 3166 codes of countries or regions, separated by commas (for example FR, GB-LND)."),
    )
    field_order = ["name", "purpose", "jurisdictions"]

    def codes(self) -> list[str]:
        return [code.strip() for code in self.cleaned_data["jurisdictions"].split(",")]


class MemberForm(AgreementForm):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[
            (MemberRole.MEMBER, MemberRole.MEMBER.label),
            (MemberRole.OBSERVER, MemberRole.OBSERVER.label),
        ],
    )
    field_order = ["organisation", "role"]

    def __init__(self, *args: Any, exclude: list[int] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choose_from(
            self, "organisation", Organisation.objects.filter(is_active=True).exclude(pk__in=exclude or [])
        )


class ParticipantForm(forms.Form):
    user = forms.ModelChoiceField(label=_("User"), queryset=User.objects.none())

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choose_from(
            self,
            "user",
            User.objects.filter(memberships__organisation=organisation, is_active=True).distinct(),
        )


class ShareForm(forms.Form):
    item_type = forms.ChoiceField(label=_("What"), choices=ItemType.choices)
    item_id = forms.IntegerField(
        label=_("Its number"), min_value=1, help_text=_("The id shown on the item's page.")
    )
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices)
    level = forms.ChoiceField(label=_("Level"), choices=ShareLevel.choices, initial=ShareLevel.DEIDENTIFIED)
    expires_on = forms.DateField(label=_("Expires on"), widget=DATE, initial=lambda: _in(90))
    override_reason = forms.CharField(
        label=_("Reason for sharing a child's case in full without consent (supervisors)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class ActionForm(forms.Form):
    title = forms.CharField(label=_("Action"), max_length=300, help_text=_("No personal data."))
    assignee = forms.ModelChoiceField(label=_("Assigned to"), queryset=Organisation.objects.none())
    due_on = forms.DateField(label=_("Due"), widget=DATE, initial=lambda: _in(14))

    def __init__(self, *args: Any, organisations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choose_from(
            self, "assignee", organisations if organisations is not None else Organisation.objects.none()
        )


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Decision"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))
    decided_on = forms.DateField(label=_("Decided on"), widget=DATE, initial=timezone.localdate)


class OperationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    planned_on = forms.DateField(label=_("Planned for"), widget=DATE)
    participants = forms.ModelMultipleChoiceField(
        label=_("Participating organisations"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, organisations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choose_from(
            self, "participants", organisations if organisations is not None else Organisation.objects.none()
        )


class OutcomeForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (OperationStatus.DONE, OperationStatus.DONE.label),
            (OperationStatus.CANCELLED, OperationStatus.CANCELLED.label),
        ],
    )
    children_safeguarded = forms.IntegerField(label=_("Children safeguarded"), min_value=0, initial=0)
    people_arrested = forms.IntegerField(label=_("People arrested"), min_value=0, initial=0)
    referrals_made = forms.IntegerField(label=_("Referrals made"), min_value=0, initial=0)


class RequestForm(forms.Form):
    to_organisation = forms.ModelChoiceField(label=_("To"), queryset=Organisation.objects.none())
    kind = forms.ChoiceField(label=_("Kind of request"), choices=RequestKind.choices)
    legal_basis = forms.CharField(
        label=_("Legal basis"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    subject = forms.CharField(
        label=_("What is requested"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    deadline = forms.DateField(label=_("Answer by"), widget=DATE, initial=lambda: _in(14))
    shares = forms.ModelMultipleChoiceField(
        label=_("Items attached"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, organisations: Any = None, shares: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choose_from(
            self,
            "to_organisation",
            organisations if organisations is not None else Organisation.objects.none(),
        )
        if shares is not None:
            _choose_from(self, "shares", shares)


class AnswerForm(forms.Form):
    response = forms.CharField(label=_("Answer"), max_length=8000, widget=forms.Textarea(attrs={"rows": 4}))


class DeclineForm(forms.Form):
    decline_reason = forms.CharField(
        label=_("Reason for declining"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class AccessRequestForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices)
    note = forms.CharField(label=_("Why you need access (no personal data)"), max_length=500)


class GrantForm(forms.Form):
    level = forms.ChoiceField(label=_("Level"), choices=ShareLevel.choices, initial=ShareLevel.DEIDENTIFIED)
    expires_on = forms.DateField(label=_("Expires on"), widget=DATE, initial=lambda: _in(90))
    task_force = forms.ModelChoiceField(
        label=_("Into the task force"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("No task force: share with this organisation only"),
    )
    override_reason = forms.CharField(
        label=_("Reason for sharing a child's case in full without consent"), required=False, max_length=1000
    )

    def __init__(self, *args: Any, task_forces: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if task_forces is not None:
            _choose_from(self, "task_force", task_forces)


class SettingsForm(forms.Form):
    match_notices = forms.BooleanField(label=_("Take part in match notices"), required=False)
