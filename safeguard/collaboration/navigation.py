from django.utils.translation import gettext_lazy as _

from safeguard.core.navigation import NavItem

ITEMS = [
    NavItem(_("Task forces"), "collaboration:home", "taskforce.view", order=70),
    NavItem(_("Match notices"), "collaboration:notices", "notice.view", order=71),
    NavItem(_("Collaboration settings"), "collaboration:settings", "collaboration.settings", order=95),
]
