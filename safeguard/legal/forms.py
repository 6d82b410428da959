"""Forms of the registry, of the duties on a report, and of a case's legal matters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from safeguard.accounts.roles import OrganisationKind
from safeguard.cases.models import Referral
from safeguard.core.picklists import ExploitationType
from safeguard.core.widgets import DateInput
from safeguard.directory.models import ServiceKind
from safeguard.intake.choices import Relation
from safeguard.legal.models import (
    Authority,
    Instrument,
    InstrumentStatus,
    Jurisdiction,
    Law,
    LegalMatter,
    MatterKind,
    MatterOutcome,
    MatterStage,
    MeasureKind,
    MeasureStatus,
    Provision,
    ReportingDuty,
    stages_for,
)

DATE = DateInput()


def _capitalise_labels(form: forms.BaseForm) -> None:
    # Labels are written like model field names ("court or authority"); pages show them capitalised.
    for field in form.fields.values():
        if field.label:
            field.label = capfirst(field.label)


class LegalForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _capitalise_labels(self)


SOURCED = ["source", "last_verified"]


class RegistryForm(forms.ModelForm):
    """A registry entry; the jurisdiction (or law) it belongs to is set by the view, never posted."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _capitalise_labels(self)
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                field.widget = DATE


class JurisdictionForm(RegistryForm):
    class Meta:
        model = Jurisdiction
        fields = [
            "code", "name", "is_illustrative", "age_of_majority", "minimum_working_age", "hazardous_work_age",
            "age_of_consent", "criminal_responsibility_age", *SOURCED,
        ]  # fmt: skip


class InstrumentStatusForm(RegistryForm):
    class Meta:
        model = InstrumentStatus
        fields = ["instrument", "status", "signed_on", "ratified_on", "reservations", *SOURCED]


def _url_field() -> forms.URLField:
    return forms.URLField(label=_("web address"), required=False, assume_scheme="https", max_length=200)


class LawForm(RegistryForm):
    url = _url_field()

    class Meta:
        model = Law
        fields = ["title", "citation", "enacted_on", "url", *SOURCED]


class ProvisionForm(RegistryForm):
    exploitation_types = forms.MultipleChoiceField(
        label=_("types of exploitation"),
        choices=ExploitationType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, jurisdiction: Jurisdiction, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["law"].queryset = Law.objects.filter(jurisdiction=jurisdiction)  # type: ignore[attr-defined]

    class Meta:
        model = Provision
        fields = [
            "law",
            "article",
            "kind",
            "summary",
            "penalty_min_years",
            "penalty_max_years",
            "exploitation_types",
            *SOURCED,
        ]


class AuthorityForm(RegistryForm):
    url = _url_field()

    class Meta:
        model = Authority
        fields = ["kind", "name", "phone", "email", "url", "hours", *SOURCED]


class ReportingDutyForm(RegistryForm):
    professions = forms.MultipleChoiceField(
        label=_("who must report (reporter relations)"),
        choices=Relation.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    organisation_kinds = forms.MultipleChoiceField(
        label=_("organisations that must report (kinds)"),
        choices=OrganisationKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, jurisdiction: Jurisdiction, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["authority"].queryset = Authority.objects.filter(jurisdiction=jurisdiction)  # type: ignore[attr-defined]
        self.fields["provision"].queryset = Provision.objects.filter(law__jurisdiction=jurisdiction)  # type: ignore[attr-defined]

    class Meta:
        model = ReportingDuty
        fields = [
            "title", "professions", "organisation_kinds", "what", "authority_kind", "authority", "within_hours",
            "provision", *SOURCED,
        ]  # fmt: skip


class InstrumentForm(RegistryForm):
    url = _url_field()
    key_articles_text = forms.CharField(
        label=_("key articles"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One per line: article, a colon, a summary in your own words."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["key_articles_text"].initial = "\n".join(
                f"{item['article']}: {item['summary']}" for item in self.instance.key_articles
            )

    def clean_key_articles_text(self) -> list[dict[str, str]]:
        articles = []
        for number, line in enumerate(self.cleaned_data["key_articles_text"].splitlines(), start=1):
            if not line.strip():
                continue
            article, colon, summary = line.partition(":")
            if not colon or not article.strip() or not summary.strip():
                raise forms.ValidationError(
                    _("Line %(n)s: write the article, a colon, then the summary.") % {"n": number}
                )
            articles.append({"article": article.strip(), "summary": summary.strip()})
        return articles

    def save(self, commit: bool = True) -> Any:
        self.instance.key_articles = self.cleaned_data["key_articles_text"]
        return super().save(commit=commit)

    class Meta:
        model = Instrument
        fields = [
            "code",
            "name",
            "short_name",
            "scope",
            "body",
            "adopted_on",
            "in_force_on",
            "url",
            "summary",
            *SOURCED,
        ]


# The registry's forms by record name (the same names as imports and audit events).
ENTRY_FORMS: dict[str, type[RegistryForm]] = {
    "jurisdiction": JurisdictionForm,
    "instrument_status": InstrumentStatusForm,
    "law": LawForm,
    "provision": ProvisionForm,
    "authority": AuthorityForm,
    "duty": ReportingDutyForm,
}


class ProfileImportForm(LegalForm):
    file = forms.FileField(label=_("profile file (JSON or CSV)"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > 2_000_000:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        return upload


class EditorGrantForm(LegalForm):
    email = forms.EmailField(label=_("e-mail address of the user"))


class FulfilForm(LegalForm):
    note = forms.CharField(
        label=_("how and to whom it was reported"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: phoned the duty officer of the police unit, reference given."),
    )


class ProvisionChoiceForm(LegalForm):
    provisions = forms.MultipleChoiceField(
        label=_("provisions that may apply"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, provisions: list[Provision], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provisions"].choices = [  # type: ignore[attr-defined]
            (str(item.pk), f"{item.law.citation}, art. {item.article} — {item.summary}")
            for item in provisions
        ]


# --- legal matters ---------------------------------------------------------------------------


class MatterOpenForm(LegalForm):
    kind = forms.ChoiceField(label=_("kind"), choices=MatterKind.choices)
    stage = forms.ChoiceField(
        label=_("stage"), choices=[("", _("First stage")), *MatterStage.choices], required=False
    )
    jurisdiction = forms.ModelChoiceField(
        label=_("jurisdiction"), queryset=Jurisdiction.objects.all(), required=False
    )
    court = forms.CharField(label=_("court or authority"), max_length=200, required=False)
    reference_number = forms.CharField(label=_("reference number"), max_length=100, required=False)
    referral = forms.ModelChoiceField(
        label=_("legal representative: legal-aid referral"), queryset=Referral.objects.none(), required=False
    )
    lawyer = forms.CharField(label=_("or a named lawyer"), max_length=200, required=False)
    complaint_on = forms.DateField(label=_("complaint or application filed on"), required=False, widget=DATE)
    notes = forms.CharField(label=_("notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, case: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["referral"].queryset = Referral.objects.filter(  # type: ignore[attr-defined]
            case=case, need=ServiceKind.LEGAL_AID
        ).select_related("provider", "service")
        field: Any = self.fields["referral"]
        field.label_from_instance = lambda referral: (
            f"{referral.service.name} ({referral.get_status_display()})"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, stage = data.get("kind"), data.get("stage")
        if kind and stage and stage not in stages_for(kind):
            self.add_error("stage", _("This stage does not belong to this kind of matter."))
        return data


class MatterUpdateForm(LegalForm):
    stage = forms.ChoiceField(label=_("stage"), choices=MatterStage.choices)
    outcome = forms.ChoiceField(label=_("outcome"), choices=MatterOutcome.choices)
    court = forms.CharField(label=_("court or authority"), max_length=200, required=False)
    reference_number = forms.CharField(label=_("reference number"), max_length=100, required=False)
    lawyer = forms.CharField(label=_("named lawyer"), max_length=200, required=False)
    complaint_on = forms.DateField(label=_("complaint or application filed on"), required=False, widget=DATE)
    verdict_on = forms.DateField(label=_("verdict or decision on"), required=False, widget=DATE)
    notes = forms.CharField(label=_("notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, matter: LegalMatter, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [(stage.value, stage.label) for stage in stages_for(matter.kind)]  # type: ignore[attr-defined]


class CompensationForm(LegalForm):
    currency = forms.CharField(label=_("currency"), max_length=3, help_text=_("ISO 4217, e.g. EUR"))
    claimed = forms.DecimalField(
        label=_("claimed"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    awarded = forms.DecimalField(
        label=_("awarded"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    paid = forms.DecimalField(label=_("paid"), required=False, min_value=0, max_digits=12, decimal_places=2)


class HearingForm(LegalForm):
    scheduled_at = forms.DateTimeField(
        label=_("date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    purpose = forms.CharField(
        label=_("purpose"),
        max_length=200,
        help_text=_('Shown as the task title: no names, e.g. "Trial, day 1".'),
    )
    place = forms.CharField(label=_("court room or place"), max_length=200, required=False)
    child_participates = forms.BooleanField(label=_("the child takes part"), required=False)


class PreparationForm(LegalForm):
    prepared_on = forms.DateField(label=_("child prepared on"), widget=DATE)
    note = forms.CharField(
        label=_("how the child was prepared"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class HearingRecordForm(LegalForm):
    outcome_note = forms.CharField(
        label=_("what happened"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    next_stage = forms.ChoiceField(label=_("stage after the hearing"), required=False)

    def __init__(self, *args: Any, matter: LegalMatter, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["next_stage"].choices = [("", _("Unchanged"))] + [  # type: ignore[attr-defined]
            (stage.value, stage.label) for stage in stages_for(matter.kind)
        ]


class MeasureForm(LegalForm):
    kind = forms.ChoiceField(label=_("measure"), choices=MeasureKind.choices)
    requested_on = forms.DateField(label=_("requested on"), widget=DATE)
    note = forms.CharField(
        label=_("note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class MeasureDecisionForm(LegalForm):
    status = forms.ChoiceField(
        label=_("decision"),
        choices=[
            (MeasureStatus.GRANTED.value, MeasureStatus.GRANTED.label),
            (MeasureStatus.REFUSED.value, MeasureStatus.REFUSED.label),
        ],
    )
    decided_on = forms.DateField(label=_("decided on"), widget=DATE)
