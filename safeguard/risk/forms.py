from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from safeguard.risk import selectors
from safeguard.risk.models import (
    Direction,
    Factor,
    ImportFormat,
    Indicator,
    Region,
    RegionLevel,
    WeightScheme,
)

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
FACTOR_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


def _factor_choices(blank: str | Promise | None = None) -> list[tuple[str, Any]]:
    known: dict[str, Any] = {value: label for value, label in Factor.choices}
    for factor in Indicator.objects.values_list("factor", flat=True).distinct():
        known.setdefault(factor, factor.replace("_", " ").capitalize())
    choices: list[tuple[str, Any]] = list(known.items())
    return [("", blank), *choices] if blank is not None else choices


class UploadField(forms.FileField):
    def clean(self, data: Any, initial: Any = None) -> Any:
        upload = super().clean(data, initial)
        if upload is not None and upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return upload


class IndicatorForm(forms.ModelForm):
    factor = forms.ChoiceField(label=_("Factor"), choices=())
    new_factor = forms.CharField(
        label=_("…or a new factor"),
        required=False,
        help_text=_("Lower-case letters, digits and underscores, for example: health_access"),
    )

    class Meta:
        model = Indicator
        fields = ["code", "name", "factor", "direction", "unit", "source", "licence", "log_transform"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        factor = self.fields["factor"]
        assert isinstance(factor, forms.ChoiceField)
        factor.choices = _factor_choices()
        factor.required = False
        self.order_fields(["code", "name", "factor", "new_factor"])

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        new_factor = (data.get("new_factor") or "").strip()
        if new_factor:
            if not FACTOR_NAME.match(new_factor):
                self.add_error("new_factor", _("Use lower-case letters, digits and underscores."))
            data["factor"] = new_factor
        elif not data.get("factor"):
            self.add_error("factor", _("Choose a factor or name a new one."))
        return data


class ImportForm(forms.Form):
    file = UploadField(label=_("File (CSV, UTF-8)"))
    format = forms.ChoiceField(
        label=_("Format"), choices=[c for c in ImportFormat.choices if c[0] != ImportFormat.GEOJSON]
    )
    region_column = forms.CharField(
        label=_("Region column (wide form)"), initial="region", max_length=100, required=False
    )
    year_column = forms.CharField(
        label=_("Year column (wide form)"),
        required=False,
        max_length=100,
        help_text=_("Leave empty when the file has one row per region; then give the year below."),
    )
    year = forms.IntegerField(
        label=_("Year of all values (wide form without a year column)"),
        required=False,
        min_value=1900,
        max_value=2100,
    )
    new_indicator_factor = forms.ChoiceField(
        label=_("Add indicators not in the catalogue to factor"),
        required=False,
        choices=(),
        help_text=_("Leave empty to reject a file with unknown indicators."),
    )
    new_indicator_direction = forms.TypedChoiceField(
        label=_("Direction of added indicators"),
        choices=Direction.choices,
        coerce=int,
        initial=Direction.MORE,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        factor = self.fields["new_indicator_factor"]
        assert isinstance(factor, forms.ChoiceField)
        factor.choices = _factor_choices(blank=_("— reject unknown indicators —"))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("format") == ImportFormat.WIDE and not (data.get("region_column") or "").strip():
            self.add_error("region_column", _("Name the column that holds the region codes."))
        return data


class ShapesForm(forms.Form):
    file = UploadField(label=_("File (GeoJSON FeatureCollection)"))
    code_property = forms.CharField(label=_("Property with the region code"), initial="code", max_length=100)
    name_property = forms.CharField(label=_("Property with the region name"), initial="name", max_length=100)
    parent = forms.ModelChoiceField(
        label=_("New regions are part of"), queryset=Region.objects.none(), required=False
    )
    level = forms.ChoiceField(
        label=_("Level of new regions"), choices=RegionLevel.choices, initial=RegionLevel.DISTRICT
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parent = self.fields["parent"]
        assert isinstance(parent, forms.ModelChoiceField)
        parent.queryset = Region.objects.exclude(level=RegionLevel.DISTRICT).order_by("name")


class ConfigurationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    level = forms.ChoiceField(label=_("Index regions of level"), choices=RegionLevel.choices)
    within = forms.ModelChoiceField(
        label=_("Within"),
        queryset=Region.objects.none(),
        required=False,
        empty_label=_("— anywhere —"),
    )
    indicators = forms.ModelMultipleChoiceField(
        label=_("Indicators"), queryset=Indicator.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    weights = forms.ChoiceField(label=_("Factor weights"), choices=WeightScheme.choices)
    custom_weights = forms.CharField(
        label=_("Custom weights"),
        required=False,
        help_text=_("With custom weights: factor=weight, separated by commas, e.g. economic=2, education=1"),
    )
    reference_year = forms.IntegerField(
        label=_("Reference year"),
        required=False,
        min_value=1900,
        max_value=2100,
        help_text=_("Empty: the latest year with data"),
    )
    window_years = forms.IntegerField(label=_("Window (years)"), initial=5, min_value=1, max_value=50)
    min_coverage = forms.FloatField(
        label=_("Minimum coverage"),
        initial=0.5,
        min_value=0.0,
        max_value=1.0,
        help_text=_("Share of indicators (0–1) a region needs to get a score"),
    )
    perturbations = forms.IntegerField(
        label=_("Weight perturbations"),
        initial=1000,
        min_value=0,
        max_value=100_000,
        help_text=_("Random re-weightings used for the rank intervals"),
    )
    # numpy's generators take seeds below 2**32; a larger one would fail the run in the worker.
    seed = forms.IntegerField(label=_("Random seed"), initial=0, min_value=0, max_value=2**32 - 1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        within = self.fields["within"]
        indicators = self.fields["indicators"]
        assert isinstance(within, forms.ModelChoiceField)
        assert isinstance(indicators, forms.ModelMultipleChoiceField)
        within.queryset = selectors.scope_choices()
        indicators.queryset = Indicator.objects.order_by("factor", "name")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("weights") == WeightScheme.CUSTOM:
            data["custom_weights"] = self._parse_weights(data.get("custom_weights") or "")
        else:
            data["custom_weights"] = {}
        return data

    def _parse_weights(self, text: str) -> dict[str, float]:
        weights: dict[str, float] = {}
        for part in filter(None, (p.strip() for p in text.split(","))):
            factor, sep, number = part.partition("=")
            try:
                weights[factor.strip()] = float(number)
            except ValueError:
                sep = ""
            if not sep:
                self.add_error("custom_weights", _("“%(part)s” is not factor=weight.") % {"part": part})
        if not weights and not self.errors.get("custom_weights"):
            self.add_error("custom_weights", _("Give a weight for each factor."))
        return weights
