from django.utils.translation import gettext_lazy as _

from safeguard.core.navigation import NavItem

ITEMS = [NavItem(_("Form fields"), "customfields:list", "organisation.manage", order=886)]
