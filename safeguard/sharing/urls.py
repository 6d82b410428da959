from django.urls import path

from safeguard.sharing import federation_views, handover_views, person_match_views, public_map_views, views

app_name = "sharing"

urlpatterns = [
    path("releases/", views.releases, name="releases"),
    path("releases/new/<str:kind>/", views.release_new, name="release_new"),
    path("releases/budget/", views.budget, name="budget"),
    path("releases/<int:release_id>/", views.release_detail, name="release"),
    path("releases/<int:release_id>/status/", views.release_status, name="release_status"),
    path("releases/<int:release_id>/decide/", views.release_decide, name="release_decide"),
    path("releases/<int:release_id>/publish/", views.release_publish, name="release_publish"),
    path(
        "releases/<int:release_id>/release.<str:file_format>", views.release_download, name="release_download"
    ),
    path("releases/public-map/", public_map_views.public_map_settings, name="public_map_settings"),
    path("statistics/<slug:slug>/", views.public_statistics, name="public"),
    path("statistics/<slug:slug>/map/", public_map_views.public_map_page, name="public_map"),
    path(
        "statistics/<slug:slug>/<int:release_id>.<str:file_format>",
        views.public_download,
        name="public_download",
    ),
    path("federation/", federation_views.peers, name="peers"),
    path("federation/<int:peer_id>/accept/", federation_views.peer_accept, name="peer_accept"),
    path("federation/<int:peer_id>/unpair/", federation_views.peer_unpair, name="peer_unpair"),
    path("federation/rotate-keys/", federation_views.rotate_keys, name="rotate_keys"),
    path("federation/matches/", federation_views.matches, name="matches"),
    path("federation/notices/<int:notice_id>/", federation_views.remote_notice, name="remote_notice"),
    path("federation/handovers/", handover_views.handover_list, name="handovers"),
    path("federation/handovers/<int:handover_id>/", handover_views.handover_detail, name="handover"),
    path("federation/handovers/new/<int:case_id>/", handover_views.handover_new, name="handover_new"),
    path("federation/transfers/new/<int:case_id>/", handover_views.transfer_new, name="transfer_new"),
    path("federation/person/case/<int:case_id>/", person_match_views.ask_case, name="person_ask_case"),
    path(
        "federation/person/tracing/<int:request_id>/",
        person_match_views.ask_tracing,
        name="person_ask_tracing",
    ),
    path("federation/person/settings/", person_match_views.settings_page, name="person_match_settings"),
    path("federation/v1/<str:action>", federation_views.protocol, name="protocol"),
]
