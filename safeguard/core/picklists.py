"""HTCDS v2.0 picklists that more than one app uses, value names exactly as in the standard.

Stored values are the standard's value names, so exports need no mapping; labels are the
standard's labels, translated for display only. Source (IOM, CC BY 4.0):
``safeguard/cases/data/htcds/htcds_field_standards_2.0.csv``; the cases tests check every
picklist against it. Picklists only cases use stay in ``safeguard.cases.choices``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    """``prs_Gender``."""

    FEMININE = "Feminine", _("Feminine")
    MASCULINE = "Masculine", _("Masculine")
    TRANSGENDER_FEMININE = "TransgenderFeminine", _("Transgender Feminine")
    TRANSGENDER_MASCULINE = "TransgenderMasculine", _("Transgender Masculine")
    NON_CONFORMING = "NonConforming", _("Non-Conforming")
    NON_SPECIFIED_UNKNOWN = "NonSpecifiedUnknown", _("Not Specified/Unknown")


class ExploitationType(models.TextChoices):
    """``vic_TypeOfExploitation``."""

    FORCED_LABOUR = "ForcedLabour", _("Forced labour")
    SEXUAL_EXPLOITATION = "SexualExploitation", _("Sexual exploitation")
    CHILD_LABOUR = "ChildLabour", _("Child labour")
    FORCED_MARRIAGE = "ForcedMarriage", _("Forced marriage")
    SERVITUDE = "Servitude", _("Servitude")
    FORCED_MILITARY_BY_NON_STATE_ACTORS = (
        "ForcedMilitaryByNonStateActors",
        _("Forced military (by non-state actors)"),
    )
    ORGAN_REMOVAL = "OrganRemoval", _("Organ removal")
    FORCED_BEGGING = "ForcedBegging", _("Forced begging")
    FORCED_ADOPTION = "ForcedAdoption", _("Forced adoption")
    SURROGACY = "Surrogacy", _("Surrogacy")
    OTHER = "Other", _("Other")
