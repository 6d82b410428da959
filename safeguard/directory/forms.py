from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from safeguard.core.geography import country_choices
from safeguard.core.picklists import Gender
from safeguard.core.validation import no_control_characters, validate_country
from safeguard.directory.models import HOTLINE_FIELDS, Hotline, Service, ServiceKind

AGE_MAX = 120
CAPACITY_MAX = 1_000_000

SERVICE_FIELDS = [
    "kind", "name", "description", "coverage", "languages", "min_age", "max_age", "genders",
    "capacity", "contact_name", "contact_phone", "contact_email", "is_active",
]  # fmt: skip


class ServiceForm(forms.Form):
    """A plain form: the service layer packs codes and validates the model."""

    def __init__(self, *args: Any, instance: Service | None = None, **kwargs: Any) -> None:
        if instance is not None:
            kwargs.setdefault(
                "initial",
                {
                    **{name: getattr(instance, name) for name in SERVICE_FIELDS},
                    "coverage": ", ".join(instance.coverage_codes),
                    "languages": ", ".join(instance.language_codes),
                    "genders": instance.gender_values,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields.update(
            fields_for_model(
                Service, fields=SERVICE_FIELDS, widgets={"description": forms.Textarea(attrs={"rows": 3})}
            )
        )
        self.fields["genders"] = forms.MultipleChoiceField(
            label=_("Genders served"),
            choices=Gender.choices,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text=_("None ticked means everyone."),
        )
        # The model's integers have no upper bound on every database: say what makes sense here.
        for name, bound in (("min_age", AGE_MAX), ("max_age", AGE_MAX), ("capacity", CAPACITY_MAX)):
            number = self.fields[name]
            assert isinstance(number, forms.IntegerField)
            number.max_value = bound
            number.validators.append(MaxValueValidator(bound))
            number.widget.attrs["max"] = str(bound)
        self.order_fields(SERVICE_FIELDS)


class SearchForm(forms.Form):
    need = forms.ChoiceField(label=_("Need"), choices=[("", _("Any")), *ServiceKind.choices], required=False)
    place = forms.CharField(label=_("Place (ISO 3166)"), max_length=6, required=False)
    language = forms.CharField(label=_("Language (ISO 639)"), max_length=3, required=False)
    age = forms.IntegerField(label=_("Age"), min_value=0, max_value=120, required=False)


class HotlineForm(forms.ModelForm):
    url = forms.URLField(label=_("Web address"), required=False, assume_scheme="https")

    class Meta:
        model = Hotline
        fields = list(HOTLINE_FIELDS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"] = forms.ChoiceField(
            label=_("Country"), choices=[("", "—"), *country_choices()]
        )
        for name in ("name", "phone", "hours", "languages"):
            self.fields[name].validators.append(no_control_characters)

    def clean_country(self) -> str:
        return validate_country(self.cleaned_data.get("country", ""))

    def clean_phone(self) -> str:
        phone = self.cleaned_data.get("phone", "").strip()
        if phone and not all(ch.isdigit() or ch in "+-() ." for ch in phone):
            raise ValidationError(_("Use digits, spaces, +, - and brackets only, like +34 900 000 000."))
        return phone


class HotlineReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve: publish it")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[no_control_characters],
        help_text=_("Needed to reject; the organisation reads it."),
    )
