from django.utils.translation import gettext_lazy as _

from safeguard.core.navigation import NavItem

ITEMS = [
    NavItem(_("Courses"), "learning:manage", "learning.manage", order=600),
    NavItem(_("Course assignments"), "learning:assignments", "users.manage", order=610),
    NavItem(_("Training coverage"), "learning:coverage", "learning.manage", order=620),
]
