from django.utils.translation import gettext_lazy as _

from safeguard.core.navigation import PLATFORM_ADMIN, NavItem

ITEMS = [
    NavItem(_("Users"), "accounts:users", "users.manage", order=880),
    NavItem(_("Organisations"), "accounts:organisations", PLATFORM_ADMIN, order=890),
]
