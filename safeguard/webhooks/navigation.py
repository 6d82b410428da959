from django.utils.translation import gettext_lazy as _

from safeguard.core.navigation import NavItem

ITEMS = [NavItem(_("Webhooks"), "webhooks:endpoints", "webhooks.manage", order=886)]
