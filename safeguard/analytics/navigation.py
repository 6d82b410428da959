from django.utils.translation import gettext_lazy as _

from safeguard.core.navigation import NavItem

ITEMS = [NavItem(_("Analytics"), "analytics:overview", "analytics.view", order=50)]
