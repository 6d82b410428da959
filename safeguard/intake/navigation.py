from django.utils.translation import gettext_lazy as _

from safeguard.core.navigation import NavItem

ITEMS = [
    NavItem(_("Reports"), "intake:queue", "report.view", order=10),
    NavItem(_("Escalations"), "intake:escalations", "escalation.receive", order=15),
    NavItem(_("Routing"), "intake:routing", "routing.manage", order=700),
    NavItem(_("Partner channels"), "intake:channels", "channel.manage", order=710),
    NavItem(_("Messaging channels"), "intake:messaging_channels", "channel.manage", order=715),
]
