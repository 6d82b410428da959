from django.utils.translation import gettext_lazy as _

from safeguard.core.navigation import PLATFORM_ADMIN, NavItem

ITEMS = [
    NavItem(_("Releases"), "sharing:releases", "release.view", order=75),
    NavItem(_("Public map"), "sharing:public_map_settings", "privacy.manage", order=77),
    NavItem(_("Other installations"), "sharing:matches", "notice.respond", order=76),
    NavItem(_("Referrals with other installations"), "sharing:handovers", "case.view", order=78),
    NavItem(_("Person matching"), "sharing:person_match_settings", "collaboration.settings", order=96),
    NavItem(_("Federation"), "sharing:peers", PLATFORM_ADMIN, order=895),
]
