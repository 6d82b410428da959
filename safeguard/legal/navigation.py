from django.utils.translation import gettext_lazy as _

from safeguard.core.navigation import PLATFORM_ADMIN, NavItem

ITEMS = [
    NavItem(_("Law"), "legal:home", "legal.view", order=80),
    NavItem(_("Hearings"), "legal:calendar", "case.view", order=25),
    NavItem(_("Legal-aid statistics"), "legal:statistics", "legal.statistics", order=81),
    NavItem(_("Reporting duties"), "legal:duty_settings", "legal.duty_configure", order=82),
    NavItem(_("Law"), "legal:home", PLATFORM_ADMIN, order=80),
]
