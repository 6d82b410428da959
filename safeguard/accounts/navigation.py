from django.utils.translation import gettext_lazy as _

from safeguard.core.navigation import NavItem

ITEMS = [
    NavItem(_("Users"), "accounts:users", "users.manage", order=880),
]
