"""Regions, the indicator catalogue and its values, imports, index configurations and runs.

Sharing (see docs/decisions/ on vulnerability mapping): regions, the indicator catalogue and
indicator values are aggregate, non-personal statistics shared platform-wide; anyone with
``risk.manage`` may add to them, and every import is attributed and audited. Index
configurations, runs and their results belong to the organisation that made them and are
never shown to another. A run keeps a copy of the exact configuration and input values it
used, so later imports by anyone cannot change a saved run.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.TextChoices):
    COUNTRY = "country", _("Country (ISO 3166-1)")
    SUBDIVISION = "subdivision", _("Subdivision (ISO 3166-2)")
    DISTRICT = "district", _("Custom district")


class Region(models.Model):
    """A place an index scores: a country, an ISO subdivision or a custom district."""

    code = models.CharField(
        _("code"),
        max_length=20,
        unique=True,
        help_text=_("ISO 3166-1 alpha-2 for countries, ISO 3166-2 for subdivisions, your own for districts"),
    )
    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level"), max_length=16, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    country_code = models.CharField(_("country"), max_length=2, blank=True, db_index=True)
    shape = models.JSONField(_("shape"), null=True, blank=True, help_text=_("GeoJSON geometry"))
    population = models.PositiveBigIntegerField(_("population"), null=True, blank=True)
    child_population = models.PositiveBigIntegerField(_("child population"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        indexes = [models.Index(fields=["level", "parent"], name="risk_region_level_parent")]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Factor(models.TextChoices):
    """The four risk factors of the issue; configurations may add others by name."""

    ECONOMIC = "economic", _("Economic instability")
    EDUCATION = "education", _("Low educational attainment")
    GEOGRAPHY = "geography", _("Geography")
    COMMUNITY = "community", _("Weak community support")


def factor_label(factor: str) -> str:
    """The display name of a factor; added factors show their own name."""
    try:
        return str(Factor(factor).label)
    except ValueError:
        return factor.replace("_", " ").capitalize()


class Direction(models.IntegerChoices):
    MORE = 1, _("Higher means more vulnerable")
    LESS = -1, _("Higher means less vulnerable")


class Indicator(models.Model):
    """An entry of the shared indicator catalogue."""

    code = models.CharField(
        _("code"), max_length=64, unique=True, help_text=_("As it appears in imported files")
    )
    name = models.CharField(_("name"), max_length=300)
    factor = models.SlugField(
        _("factor"),
        max_length=40,
        help_text=_("economic, education, geography, community — or the name of an added factor"),
    )
    direction = models.SmallIntegerField(_("direction"), choices=Direction.choices, default=Direction.MORE)
    unit = models.CharField(_("unit"), max_length=60, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    licence = models.CharField(_("licence"), max_length=100, blank=True)
    log_transform = models.BooleanField(
        _("log transform"), default=False, help_text=_("For skewed indicators such as distances")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["factor", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def factor_label(self) -> str:
        return factor_label(self.factor)


class ImportFormat(models.TextChoices):
    LONG = "long", _("CSV, long form (region, year, indicator, value)")
    WIDE = "wide", _("CSV, wide form (one column per indicator)")
    WORLDBANK = "worldbank", _("World Bank indicator download")
    GEOJSON = "geojson", _("GeoJSON shapes")


class ImportStatus(models.TextChoices):
    IMPORTED = "imported", _("Imported")
    REJECTED = "rejected", _("Rejected")


class IndicatorImport(models.Model):
    """One uploaded file and what became of it: all its rows imported, or none and every problem."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="risk_imports"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    file_name = models.CharField(_("file name"), max_length=255)
    format = models.CharField(_("format"), max_length=16, choices=ImportFormat.choices)
    status = models.CharField(_("status"), max_length=16, choices=ImportStatus.choices)
    row_count = models.PositiveIntegerField(_("values or shapes imported"), default=0)
    # [{"line": int | None, "column": str | None, "message": str}], in file order
    problems = models.JSONField(default=list, blank=True)
    # [{"code", "name", "reason"}] rows deliberately not imported, e.g. World Bank aggregates
    left_out = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.status})"


class IndicatorValue(models.Model):
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.FloatField(_("value"))
    source_import = models.ForeignKey(
        IndicatorImport, null=True, blank=True, on_delete=models.SET_NULL, related_name="values"
    )

    class Meta:
        ordering = ["region", "indicator", "year"]
        constraints = [
            models.UniqueConstraint(fields=["region", "indicator", "year"], name="risk_value_unique")
        ]
        indexes = [models.Index(fields=["indicator", "year"], name="risk_value_indicator_year")]

    def __str__(self) -> str:
        return f"{self.region_id}/{self.indicator_id}/{self.year}={self.value}"


class WeightScheme(models.TextChoices):
    EQUAL = "equal", _("Equal weights")
    PCA = "pca", _("Principal components (data-driven)")
    CUSTOM = "custom", _("Custom weights")


class IndexConfiguration(models.Model):
    """A saved recipe for an index: which regions and indicators, which weights and years.

    Configurations are never edited once saved, so every run of one means the same thing.
    """

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="risk_configurations"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("regions of level"), max_length=16, choices=RegionLevel.choices)
    within = models.ForeignKey(
        Region,
        verbose_name=_("within"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Only regions that are part of this one (leave empty for all)"),
    )
    indicators = models.ManyToManyField(Indicator, verbose_name=_("indicators"), related_name="+")
    weights = models.CharField(
        _("weights"), max_length=16, choices=WeightScheme.choices, default=WeightScheme.EQUAL
    )
    custom_weights = models.JSONField(_("custom weights"), default=dict, blank=True)
    reference_year = models.PositiveSmallIntegerField(
        _("reference year"), null=True, blank=True, help_text=_("Empty: the latest year with data")
    )
    window_years = models.PositiveSmallIntegerField(
        _("window (years)"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text=_("The latest value within this many years up to the reference year is used"),
    )
    min_coverage = models.FloatField(
        _("minimum coverage"),
        default=0.5,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text=_("Share of indicators a region needs to get a score (0–1)"),
    )
    perturbations = models.PositiveIntegerField(
        _("weight perturbations"), default=1000, validators=[MaxValueValidator(100_000)]
    )
    seed = models.PositiveIntegerField(_("random seed"), default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("index configuration")
        verbose_name_plural = _("index configurations")

    def __str__(self) -> str:
        return self.name


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Completed")
    FAILED = "failed", _("Failed")


class IndexRun(models.Model):
    """One computation of an index, with everything needed to reproduce it exactly."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="risk_runs"
    )
    configuration = models.ForeignKey(IndexConfiguration, on_delete=models.PROTECT, related_name="runs")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=RunStatus.choices, default=RunStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    error = models.TextField(_("error"), blank=True)
    # What the computation saw: vulnerability.IndexConfig.as_dict() with the reference year
    # resolved, the observations [[region, year, indicator, value], …] sorted, and their SHA-256.
    config_snapshot = models.JSONField(default=dict, blank=True)
    inputs = models.JSONField(default=list, blank=True)
    input_fingerprint = models.CharField(max_length=64, blank=True, db_index=True)
    reference_year = models.PositiveSmallIntegerField(null=True, blank=True)
    weights = models.JSONField(default=dict, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    sensitivity_runs = models.PositiveIntegerField(default=0)
    pca_explained_variance = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("index run")
        verbose_name_plural = _("index runs")

    def __str__(self) -> str:
        return f"{self.configuration} #{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in (RunStatus.SUCCEEDED, RunStatus.FAILED)

    @property
    def factors(self) -> list[str]:
        indicators: list[dict[str, Any]] = self.config_snapshot.get("indicators", [])
        return list(dict.fromkeys(indicator["factor"] for indicator in indicators))


class RegionResult(models.Model):
    """A region's score in one run, with its factor scores, explanation and rank interval."""

    run = models.ForeignKey(IndexRun, on_delete=models.CASCADE, related_name="results")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    score = models.FloatField(null=True, blank=True)
    rank = models.PositiveIntegerField(null=True, blank=True)
    rank_low = models.PositiveIntegerField(null=True, blank=True)
    rank_high = models.PositiveIntegerField(null=True, blank=True)
    coverage = models.FloatField()
    factor_scores = models.JSONField(default=dict, blank=True)  # factor → 0–100 or None
    # [{"factor", "weight", "score", "contribution"}], contributions sum to the score
    contributions = models.JSONField(default=list, blank=True)
    # [{"indicator", "factor", "value", "year", "normalised"}]
    indicators = models.JSONField(default=list, blank=True)
    position = models.PositiveIntegerField(help_text="Order of the result table: by rank, unscored last")

    class Meta:
        ordering = ["run", "position"]
        constraints = [models.UniqueConstraint(fields=["run", "region"], name="risk_result_unique")]

    def __str__(self) -> str:
        return f"{self.region_id} in run {self.run_id}: {self.score}"


class ReportPlace(models.Model):
    """Where a report with coordinates happened, in the region hierarchy: stored, not recomputed.

    Assigned once after intake (``services.places.report_place_assign``) by point in polygon:
    the shipped Natural Earth subdivision and the custom district whose imported shape contains
    the report's coordinates. Holds codes only, no coordinates, so it is no more precise than
    the district itself. Prevention targeting counts reports per custom district from here.
    """

    report = models.OneToOneField("intake.Report", on_delete=models.CASCADE, related_name="risk_place")
    subdivision = models.CharField(_("subdivision"), max_length=6, blank=True)
    district = models.ForeignKey(
        Region, on_delete=models.SET_NULL, null=True, blank=True, related_name="report_places"
    )
    assigned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("place of a report")

    def __str__(self) -> str:
        return f"report {self.report_id}: {self.district_id or self.subdivision or '-'}"
