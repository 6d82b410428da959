from django.utils.translation import gettext_lazy as _

from safeguard.core.navigation import NavItem

ITEMS = [
    NavItem(_("My work"), "cases:home", "case.view", order=20),
    NavItem(_("Cases"), "cases:list", "case.view", order=21),
    NavItem(_("Supervision"), "cases:supervision", "case.approve", order=22),
    NavItem(_("Referrals"), "cases:referrals", "referral.respond", order=23),
    NavItem(_("Teams"), "cases:teams", "team.manage", order=24),
    NavItem(_("Caseload reports"), "cases:reports", "case.reports", order=25),
]
