from django.utils.translation import gettext_lazy as _

from safeguard.core.navigation import NavItem

ITEMS = [NavItem(_("Releases"), "sharing:releases", "release.view", order=75)]
