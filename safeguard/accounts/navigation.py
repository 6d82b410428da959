from django.utils.translation import gettext_lazy as _

from safeguard.core.navigation import PLATFORM_ADMIN, NavItem

ITEMS = [
    NavItem(_("Users"), "accounts:users", "users.manage", order=880),
    NavItem(_("Service accounts"), "accounts:service_accounts", "users.manage", order=882),
    NavItem(_("Time zone"), "accounts:time_zone", "organisation.manage", order=885),
    NavItem(_("Organisations"), "accounts:organisations", PLATFORM_ADMIN, order=890),
]
