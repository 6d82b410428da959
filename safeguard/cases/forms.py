from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safeguard.accounts.models import Organisation, User
from safeguard.cases import choices
from safeguard.cases.models import (
    ASSESSMENT_DOMAINS,
    Case,
    CaseNote,
    CaseNoteKind,
    CaseStatus,
    ClosureChecklistItem,
    ClosureReason,
    ConsentGiver,
    ConsentScope,
    FollowUpOutcome,
    MilestoneKind,
    Rating,
    RiskLevel,
    Team,
)
from safeguard.cases.services.assignment import possible_owners
from safeguard.core.flags import FLAG_FILTER_CHOICES, FlagReason
from safeguard.core.geography import country_choices, is_country, is_subdivision_of
from safeguard.core.list_forms import ListFilterForm
from safeguard.core.widgets import DateInput
from safeguard.directory.models import ServiceKind


def _codes(value: str) -> list[str]:
    return [code.strip().upper() for code in value.replace(";", ",").split(",") if code.strip()]


class RegistrationForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    middle_name = forms.CharField(label=_("Middle name"), max_length=100, required=False)
    second_name = forms.CharField(label=_("Second name (family name)"), max_length=100, required=False)
    aliases = forms.CharField(
        label=_("Other names or nicknames"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line."),
    )
    birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput)
    estimated_age = forms.IntegerField(
        label=_("Estimated age"),
        required=False,
        min_value=0,
        max_value=120,
        help_text=_("If the date of birth is not known."),
    )
    gender = forms.ChoiceField(
        label=_("Gender"), choices=choices.Gender.choices, initial=choices.Gender.NON_SPECIFIED_UNKNOWN
    )
    citizenships = forms.CharField(
        label=_("Citizenship"),
        required=False,
        help_text=_("ISO 3166 country codes, separated by commas, e.g. NG, GB"),
    )
    primary_language = forms.CharField(
        label=_("Primary language"), max_length=3, required=False, help_text=_("ISO 639 code, e.g. en")
    )
    secondary_language = forms.CharField(label=_("Secondary language"), max_length=3, required=False)
    country = forms.ChoiceField(label=_("Country where the child is"), required=False)
    subdivision = forms.CharField(
        label=_("Region (ISO 3166-2)"), max_length=6, required=False, help_text=_("e.g. GB-LND")
    )
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    street = forms.CharField(label=_("Street"), max_length=200, required=False)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    postal_code = forms.CharField(label=_("Postal code"), max_length=20, required=False)
    identity_number = forms.CharField(label=_("Identity document number"), max_length=60, required=False)
    guardian_name = forms.CharField(label=_("Guardian's name"), max_length=200, required=False)
    guardian_relationship = forms.CharField(
        label=_("Guardian's relationship to the child"), max_length=100, required=False
    )
    guardian_phone = forms.CharField(label=_("Guardian's phone"), max_length=40, required=False)
    trafficking_status = forms.ChoiceField(
        label=_("Trafficking status"),
        choices=choices.TraffickingStatus.choices,
        initial=choices.TraffickingStatus.POSSIBLE_VICTIM_OF_TRAFFICKING,
    )
    exploitation_types = forms.MultipleChoiceField(
        label=_("Types of exploitation"),
        choices=choices.ExploitationType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    risk_level = forms.ChoiceField(label=_("Risk level"), choices=RiskLevel.choices, initial=RiskLevel.MEDIUM)
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False)
    not_a_duplicate = forms.BooleanField(
        label=_("I have checked the possible matches above: this is a different child"), required=False
    )

    def __init__(self, *args: Any, organisation: Organisation | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["country"]).choices = [("", "—"), *country_choices()]
        cast(forms.ModelChoiceField, self.fields["team"]).queryset = Team.objects.filter(
            organisation=organisation
        )

    def clean_citizenships(self) -> list[str]:
        codes = _codes(self.cleaned_data["citizenships"])
        wrong = [code for code in codes if not is_country(code)]
        if wrong:
            raise forms.ValidationError(
                _("Not an ISO 3166 country code: %(codes)s") % {"codes": ", ".join(wrong)}
            )
        return codes

    def clean_birth_date(self) -> Any:
        value = self.cleaned_data["birth_date"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The date of birth cannot be in the future."))
        return value

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not (data.get("first_name") or data.get("second_name") or data.get("aliases")):
            self.add_error("first_name", _("Give at least a name or an alias."))
        subdivision = (data.get("subdivision") or "").upper()
        if subdivision and not is_subdivision_of(subdivision, data.get("country") or subdivision[:2]):
            self.add_error("subdivision", _("Not a region of the chosen country."))
        return data

    def alias_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("aliases", "").splitlines() if line.strip()]


class AssessmentForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, label in ASSESSMENT_DOMAINS:
            self.fields[name] = forms.TypedChoiceField(label=label, choices=Rating.choices, coerce=int)
            self.fields[f"{name}_notes"] = forms.CharField(
                label=_("Notes: %(domain)s") % {"domain": label},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def ratings(self) -> dict[str, int]:
        return {name: self.cleaned_data[name] for name, _label in ASSESSMENT_DOMAINS}

    def notes(self) -> dict[str, str]:
        return {name: self.cleaned_data[f"{name}_notes"] for name, _label in ASSESSMENT_DOMAINS}


class CarePlanForm(forms.Form):
    goals = forms.CharField(label=_("Goals"), widget=forms.Textarea(attrs={"rows": 3}))
    support_type = forms.ChoiceField(
        label=_("Main type of support"), choices=[("", "—"), *choices.SupportPlanType.choices], required=False
    )
    planned_end = forms.DateField(label=_("Planned end date"), required=False, widget=DateInput)


class PlanItemForm(forms.Form):
    # The empty choice lets untouched extra rows stay "unchanged", so the formset skips them.
    need = forms.ChoiceField(label=_("Service needed"), choices=[("", "—"), *ServiceKind.choices])
    action = forms.CharField(label=_("Action"), max_length=300)
    due_on = forms.DateField(label=_("Due"), widget=DateInput)


PlanItemFormSet = forms.formset_factory(PlanItemForm, extra=3, min_num=1, validate_min=True)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("return", _("Return"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ConsentForm(forms.Form):
    given_by = forms.ChoiceField(label=_("Given by"), choices=ConsentGiver.choices)
    scope = forms.ChoiceField(label=_("Consent to"), choices=ConsentScope.choices)
    organisation = forms.ModelChoiceField(
        label=_("Organisation (for sharing)"),
        queryset=Organisation.objects.filter(is_active=True),
        required=False,
    )
    given_on = forms.DateField(label=_("Date given"), widget=DateInput, initial=timezone.localdate)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("scope") == ConsentScope.SHARE_ORGANISATION and not data.get("organisation"):
            self.add_error("organisation", _("Name the organisation this consent covers."))
        return data


class ServiceSearchForm(forms.Form):
    need = forms.ChoiceField(label=_("Need"), choices=[("", _("Any")), *ServiceKind.choices], required=False)
    place = forms.CharField(label=_("Place (ISO 3166)"), max_length=6, required=False)
    language = forms.CharField(label=_("Language (ISO 639)"), max_length=3, required=False)


class ReferralForm(forms.Form):
    summary = forms.CharField(
        label=_("What the provider needs to know"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "The provider sees only this summary, the child's age, gender and languages, and the first name if you share it."
        ),
    )
    share_first_name = forms.BooleanField(label=_("Share the child's first name"), required=False)
    respond_by = forms.DateField(label=_("Answer needed by"), widget=DateInput)
    override_reason = forms.CharField(
        label=_("Supervisor override: reason for referring without consent"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, can_override: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not can_override:
            del self.fields["override_reason"]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class CaseNoteForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of note"), choices=CaseNoteKind.choices)
    occurred_on = forms.DateField(label=_("Date"), widget=DateInput, initial=timezone.localdate)
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args: Any, supervisor: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not supervisor:
            field = self.fields["kind"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [
                (value, label) for value, label in CaseNoteKind.choices if value != "supervision"
            ]


class NoteChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.get_kind_display()} · {obj.occurred_on.isoformat()} · {obj.author}"


class DocumentForm(forms.Form):
    file = forms.FileField(label=_("Document (PDF, office document or plain text)"))
    note = NoteChoiceField(
        label=_("Attach to a note (optional)"), queryset=CaseNote.objects.none(), required=False
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(NoteChoiceField, self.fields["note"]).queryset = CaseNote.objects.filter(
            case=case
        ).select_related("author")


class ClosureRequestForm(forms.Form):
    reason_code = forms.ChoiceField(label=_("Reason for closure"), choices=ClosureReason.choices)
    reason = forms.CharField(
        label=_('Details (required for "Other")'), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, checklist: list[ClosureChecklistItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for item in checklist:
            self.fields[f"check_{item.pk}"] = forms.BooleanField(label=item.text, required=True)
        self.checklist = checklist

    def service_arguments(self) -> dict[str, Any]:
        return {
            "reason_code": self.cleaned_data["reason_code"],
            "reason": self.cleaned_data["reason"],
            "confirmed": [item.pk for item in self.checklist if self.cleaned_data.get(f"check_{item.pk}")],
        }


class ChecklistItemForm(forms.Form):
    text = forms.CharField(label=_("What must be confirmed"), max_length=200)


class RespondForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Answer"),
        choices=[("accept", _("Accept")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason (if declining)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ServiceRecordForm(forms.Form):
    delivered_on = forms.DateField(label=_("Delivered on"), widget=DateInput, initial=timezone.localdate)
    note = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}))


class FollowUpForm(forms.Form):
    due_on = forms.DateField(label=_("Due"), widget=DateInput)
    purpose = forms.CharField(label=_("Purpose"), max_length=200)


class FollowUpRecordForm(forms.Form):
    done_on = forms.DateField(label=_("Done on"), widget=DateInput, initial=timezone.localdate)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=FollowUpOutcome.choices, widget=forms.RadioSelect)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}))


class MilestoneForm(forms.Form):
    kind = forms.ChoiceField(label=_("Milestone"), choices=MilestoneKind.choices)
    reached_on = forms.DateField(label=_("Reached on"), widget=DateInput, initial=timezone.localdate)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class TransferForm(forms.Form):
    to_organisation = forms.ModelChoiceField(
        label=_("Receiving organisation"), queryset=Organisation.objects.none()
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    override_reason = forms.CharField(
        label=_("Supervisor override: reason for transferring without consent"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(
        self, *args: Any, organisation: Organisation, can_override: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["to_organisation"]).queryset = Organisation.objects.filter(
            is_active=True
        ).exclude(pk=organisation.pk)
        if not can_override:
            del self.fields["override_reason"]


class MergeForm(forms.Form):
    duplicate = forms.CharField(label=_("Reference of the duplicate case"), max_length=24)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ExportForm(forms.Form):
    file_format = forms.ChoiceField(label=_("Format"), choices=[("csv", "CSV"), ("xlsx", "XLSX")])
    deidentified = forms.BooleanField(
        label=_("De-identified (no names or contact details; birth dates and ages coarsened)"), required=False
    )
    status = forms.ChoiceField(
        label=_("Cases"),
        choices=[("", _("All")), ("open", _("Open")), ("closed", _("Closed"))],
        required=False,
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("HTCDS file (CSV or XLSX)"))
    import_valid_rows = forms.BooleanField(
        label=_("If some rows have errors, import the valid rows anyway"), required=False
    )


def _place(value: str) -> str:
    code = value.strip().upper()
    if code and not (is_country(code) or is_subdivision_of(code, code[:2])):
        raise forms.ValidationError(_("Not an ISO 3166 country or region code: %(code)s") % {"code": code})
    return code


class PersonEditForm(RegistrationForm):
    """The child's details and the victim context, as corrected after registration."""

    labour_industry = forms.ChoiceField(
        label=_("Forced-labour industry (ISIC)"),
        choices=[("", "—"), *choices.LabourIndustry.choices],
        required=False,
    )
    methods_of_control = forms.MultipleChoiceField(
        label=_("Methods of control"),
        choices=choices.MethodOfControl.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    recruitment_methods = forms.MultipleChoiceField(
        label=_("Methods of recruitment"),
        choices=choices.RecruitmentMethod.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    relationship_to_trafficker = forms.ChoiceField(
        label=_("Relationship to trafficker"),
        choices=[("", "—"), *choices.RelationshipToTrafficker.choices],
        required=False,
    )
    recruitment_place = forms.CharField(
        label=_("Place of recruitment (ISO 3166)"),
        max_length=6,
        required=False,
        help_text=_("e.g. NG or NG-LA"),
    )
    exploitation_place = forms.CharField(
        label=_("Place of exploitation (ISO 3166)"), max_length=6, required=False
    )

    CONTEXT_FIELDS = (
        "trafficking_status",
        "exploitation_types",
        "labour_industry",
        "methods_of_control",
        "recruitment_methods",
        "relationship_to_trafficker",
        "recruitment_place",
        "exploitation_place",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("identity_number", "risk_level", "team", "not_a_duplicate"):
            del self.fields[name]

    def clean_recruitment_place(self) -> str:
        return _place(self.cleaned_data["recruitment_place"])

    def clean_exploitation_place(self) -> str:
        return _place(self.cleaned_data["exploitation_place"])

    def context_values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.CONTEXT_FIELDS}


class PerpetratorForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    identifiers = forms.CharField(
        label=_("Identifiers (phones, user names, handles)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line."),
    )
    roles = forms.MultipleChoiceField(
        label=_("Role in the process"),
        choices=choices.PerpetratorRole.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    role_details = forms.CharField(
        label=_("Role details"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    gender = forms.ChoiceField(
        label=_("Gender"), choices=[("", "—"), *choices.Gender.choices], required=False
    )
    citizenships = forms.CharField(
        label=_("Citizenship"),
        required=False,
        help_text=_("ISO 3166 country codes, separated by commas, e.g. NG, GB"),
    )

    def clean_citizenships(self) -> list[str]:
        codes = _codes(self.cleaned_data["citizenships"])
        wrong = [code for code in codes if not is_country(code)]
        if wrong:
            raise forms.ValidationError(
                _("Not an ISO 3166 country code: %(codes)s") % {"codes": ", ".join(wrong)}
            )
        return codes

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not (data.get("name") or data.get("identifiers") or data.get("roles") or data.get("role_details")):
            raise forms.ValidationError(_("Give a name, an identifier or the perpetrator's role."))
        return data

    def identifier_list(self) -> list[str]:
        return [
            line.strip() for line in self.cleaned_data.get("identifiers", "").splitlines() if line.strip()
        ]


def organisation_users(organisation: Organisation | None) -> Any:
    return (
        User.objects.filter(memberships__organisation=organisation, is_active=True)
        .distinct()
        .order_by("name")
    )


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Team name"), max_length=120)
    members = forms.ModelMultipleChoiceField(
        label=_("Members"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Only users of your organisation can be team members.")},
    )

    def __init__(self, *args: Any, organisation: Organisation | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["members"]).queryset = organisation_users(
            organisation
        )


class TeamMembersForm(forms.Form):
    members = forms.ModelMultipleChoiceField(
        label=_("Members"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Only users of your organisation can be team members.")},
    )

    def __init__(self, *args: Any, organisation: Organisation | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["members"]).queryset = organisation_users(
            organisation
        )


# Sort keys of the case list → the columns they order by (the name is encrypted, so not sortable).
CASE_SORTS = {
    "reference": "reference",
    "status": "status",
    "stage": "stage",
    "risk": "risk_level",
    "owner": "owner__name",
    "registered": "registered_at",
}
# Age bands of the case list: label → (youngest, oldest) age this calendar year.
AGE_BANDS = {"0-5": (0, 5), "6-11": (6, 11), "12-14": (12, 14), "15-17": (15, 17), "18+": (18, 200)}


class CaseListFilterForm(ListFilterForm):
    """The case list's filters and sort, every value checked before it reaches a query."""

    SORTS = CASE_SORTS
    DATE_RANGE = ("registered_from", "registered_to")

    name = forms.CharField(label=_("Name"), required=False, max_length=200)
    reference = forms.CharField(label=_("Reference"), required=False, max_length=24)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any")), ("open", _("Open (all)")), *CaseStatus.choices],
    )
    risk = forms.ChoiceField(label=_("Risk"), required=False, choices=[("", _("Any")), *RiskLevel.choices])
    owner = forms.ModelChoiceField(label=_("Owner"), required=False, queryset=User.objects.none())
    team = forms.ModelChoiceField(label=_("Team"), required=False, queryset=Team.objects.none())
    age = forms.ChoiceField(
        label=_("Age band"), required=False, choices=[("", _("Any")), *((k, k) for k in AGE_BANDS)]
    )
    exploitation = forms.ChoiceField(
        label=_("Exploitation"), required=False, choices=[("", _("Any")), *choices.ExploitationType.choices]
    )
    place = forms.CharField(
        label=_("Place"), required=False, max_length=6, help_text=_("A country (GB) or region (GB-ENG) code.")
    )
    flag = forms.ChoiceField(label=_("Flags"), required=False, choices=FLAG_FILTER_CHOICES)
    registered_from = forms.DateField(label=_("Registered from"), required=False, widget=DateInput)
    registered_to = forms.DateField(label=_("Registered until"), required=False, widget=DateInput)
    sort = forms.CharField(required=False, max_length=20)

    def __init__(self, *args: Any, organisation: Organisation | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = cast(forms.ModelChoiceField, self.fields["owner"])
        owner.queryset = (
            User.objects.filter(memberships__organisation=organisation).distinct().order_by("name")
        )
        team = cast(forms.ModelChoiceField, self.fields["team"])
        team.queryset = Team.objects.filter(organisation=organisation).order_by("name")


REPORT_DEFAULT_DAYS = 365
REPORT_MAX_DAYS = 3660  # ten years


class CaseloadPeriodForm(forms.Form):
    """The caseload reports' period: both days included, the last year unless given."""

    start = forms.DateField(label=_("From"), required=False, widget=DateInput)
    end = forms.DateField(label=_("Until"), required=False, widget=DateInput)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        today = timezone.localdate()
        end = cleaned.get("end") or today
        start = cleaned.get("start") or end - timedelta(days=REPORT_DEFAULT_DAYS - 1)
        if end > today:
            self.add_error("end", _("The end of the period cannot be in the future."))
        elif start > end:
            self.add_error("start", _("The start of the period must be on or before its end."))
        elif (end - start).days + 1 > REPORT_MAX_DAYS:
            self.add_error("start", _("Choose a period of at most ten years."))
        cleaned["start"], cleaned["end"] = start, end
        return cleaned


class CaseBulkForm(forms.Form):
    """The case list's bulk action: the ticked cases (``case``, or every ``page_case`` with
    ``all_on_page``) and what to do with them."""

    ACTIONS = [("reassign", _("Reassign to a caseworker")), ("flag", _("Flag")), ("team", _("Add to a team"))]

    all_on_page = forms.BooleanField(
        label=_("Select all on this page"),
        required=False,
        widget=forms.CheckboxInput(attrs={"data-select-all": "case"}),  # app.js ticks the rows too
    )
    action = forms.ChoiceField(label=_("Action"), choices=ACTIONS)
    owner = forms.ModelChoiceField(label=_("Reassign to"), required=False, queryset=User.objects.none())
    team = forms.ModelChoiceField(label=_("Team"), required=False, queryset=Team.objects.none())
    reason = forms.ChoiceField(label=_("Reason"), required=False, choices=[("", "—"), *FlagReason.choices])
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)

    def __init__(self, *args: Any, organisation: Organisation | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["owner"]).queryset = possible_owners(organisation)
        cast(forms.ModelChoiceField, self.fields["team"]).queryset = Team.objects.filter(
            organisation=organisation
        ).order_by("name")

    def _ids(self, name: str) -> list[int]:
        # Any whole number is accepted here; the service refuses, one by one, those not in reach.
        values = self.data.getlist(name) if hasattr(self.data, "getlist") else self.data.get(name, [])
        try:
            return [int(value) for value in values]
        except (TypeError, ValueError):
            raise forms.ValidationError(_("The selection is not valid; reload the list.")) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            data["case_ids"] = self._ids("page_case" if data.get("all_on_page") else "case")
        except forms.ValidationError as error:
            self.add_error(None, error)
            return data
        if not data["case_ids"]:
            self.add_error(None, _("Select at least one case."))
        needed = {"reassign": "owner", "team": "team", "flag": "reason"}.get(data.get("action", ""))
        if needed and not data.get(needed):
            self.add_error(needed, _("This field is required for the chosen action."))
        return data
