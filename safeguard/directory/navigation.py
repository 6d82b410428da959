from django.utils.translation import gettext_lazy as _

from safeguard.core.navigation import PLATFORM_ADMIN, NavItem

ITEMS = [
    NavItem(_("Services"), "directory:services", "directory.view", order=30),
    NavItem(_("Hotlines"), "directory:hotlines", PLATFORM_ADMIN, order=720),
    NavItem(_("Our public numbers"), "directory:our_hotlines", "hotline.propose", order=721),
]
