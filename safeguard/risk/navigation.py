from django.utils.translation import gettext_lazy as _

from safeguard.core.navigation import NavItem

ITEMS = [NavItem(_("Vulnerability"), "risk:overview", "risk.view", order=60)]
