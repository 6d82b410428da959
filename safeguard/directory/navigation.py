from django.utils.translation import gettext_lazy as _

from safeguard.core.navigation import NavItem

ITEMS = [
    NavItem(_("Services"), "directory:services", "directory.view", order=30),
    NavItem(_("Hotlines"), "directory:hotlines", "hotline.manage", order=720),
]
