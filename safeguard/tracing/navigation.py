from django.utils.translation import gettext_lazy as _

from safeguard.core.navigation import NavItem

ITEMS = [NavItem(_("Family tracing"), "tracing:overview", "case.view", order=25)]
