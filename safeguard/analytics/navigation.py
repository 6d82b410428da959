from django.utils.translation import gettext_lazy as _

from safeguard.core.navigation import PLATFORM_ADMIN, NavItem

ITEMS = [
    NavItem(_("Analytics"), "analytics:overview", "analytics.view", order=50),
    NavItem(_("Network rebuilds"), "analytics:network_rebuilds", PLATFORM_ADMIN, order=895),
]
