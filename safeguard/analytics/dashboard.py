"""The analyst's dashboard panel: networks, links to review, ad clusters, this week's hotspots."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from safeguard.accounts.access import actor_for
from safeguard.analytics import access, selectors
from safeguard.core.navigation import Panel


def panels(request: HttpRequest) -> list[Panel]:
    actor = actor_for(request)
    if actor.organisation is None or not actor.can("analytics.view"):
        return []
    context = {
        "networks": len(selectors.networks_list(actor)),
        "can_review": actor.can("analytics.review"),
        "pending": selectors.link_queue(actor).count(),
        "clusters": access.ad_clusters_visible_to(actor).count(),
        "hotspots": len(selectors.hotspot_view(actor).hotspots),
    }
    return [Panel(_("Pattern analytics"), "analytics/panels/analytics.html", context, order=30)]
