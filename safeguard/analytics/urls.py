from django.urls import path

from safeguard.analytics import views

app_name = "analytics"

urlpatterns = [
    path("analytics/", views.overview, name="overview"),
    path("analytics/entities/<int:entity_id>/", views.entity_detail, name="entity"),
    path("analytics/networks/<int:network_id>/", views.network_detail, name="network"),
    path("analytics/networks/<int:network_id>/graph.json", views.network_graph_json, name="network_graph"),
    path("analytics/ads/", views.ads, name="ads"),
    path("analytics/ads/imports/<int:import_id>/", views.ad_import_detail, name="ad_import"),
    path("analytics/ads/imports/<int:import_id>/status/", views.ad_import_status, name="ad_import_status"),
    path("analytics/ads/clusters/<int:cluster_id>/", views.ad_cluster_detail, name="ad_cluster"),
    path("analytics/review/", views.review_queue, name="review"),
    path("analytics/review/<int:candidate_id>/", views.review_decide, name="review_decide"),
    path("analytics/hotspots/", views.hotspot_map, name="hotspots"),
    path("analytics/hotspots/map.png", views.hotspot_map_export, {"fmt": "png"}, name="hotspots_png"),
    path("analytics/hotspots/map.pdf", views.hotspot_map_export, {"fmt": "pdf"}, name="hotspots_pdf"),
    path("analytics/runs/", views.run_start, name="run_start"),
    path("analytics/runs/<int:run_id>/status/", views.run_status, name="run_status"),
    path("analytics/network-rebuilds/", views.network_rebuilds, name="network_rebuilds"),
    path(
        "analytics/network-rebuilds/<int:run_id>/status/",
        views.network_rebuild_status,
        name="network_rebuild_status",
    ),
]
