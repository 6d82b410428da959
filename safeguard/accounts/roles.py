"""Organisation kinds and the roles a membership carries."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    HOTLINE = "hotline", _("Hotline")
    NGO = "ngo", _("NGO")
    CHILD_PROTECTION = "child_protection", _("Child-protection service")
    LAW_ENFORCEMENT = "law_enforcement", _("Law enforcement")
    SERVICE_PROVIDER = "service_provider", _("Service provider")
    GOVERNMENT = "government", _("Government")


class Role(models.TextChoices):
    OPERATOR = "operator", _("Hotline operator")
    CASEWORKER = "caseworker", _("Caseworker")
    SUPERVISOR = "supervisor", _("Supervisor")
    ANALYST = "analyst", _("Analyst")
    LIAISON = "liaison", _("Law-enforcement liaison")
    PROGRAMME_MANAGER = "programme_manager", _("Programme manager")
    ORG_ADMIN = "org_admin", _("Organisation admin")
