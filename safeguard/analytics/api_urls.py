from django.urls import path

from safeguard.analytics import apis

urlpatterns = [
    path("analytics/networks", apis.NetworkListApi.as_view(), name="analytics-networks"),
    path("analytics/networks/<int:network_id>", apis.NetworkDetailApi.as_view(), name="analytics-network"),
    path("analytics/entities/<int:entity_id>", apis.EntityDetailApi.as_view(), name="analytics-entity"),
    path("analytics/ad-clusters", apis.AdClusterListApi.as_view(), name="analytics-ad-clusters"),
    path("analytics/hotspots", apis.HotspotApi.as_view(), name="analytics-hotspots"),
]
