from django.urls import path

from safeguard.risk import views

app_name = "risk"

urlpatterns = [
    path("risk/", views.overview, name="overview"),
    path("risk/indicators/", views.indicators, name="indicators"),
    path("risk/imports/", views.imports, name="imports"),
    path("risk/imports/shapes/", views.shapes_import, name="shapes_import"),
    path("risk/imports/<int:import_id>/", views.import_detail, name="import_detail"),
    path("risk/configurations/new/", views.configuration_new, name="configuration_new"),
    path(
        "risk/configurations/<int:configuration_id>/run/", views.configuration_run, name="configuration_run"
    ),
    path("risk/runs/<int:run_id>/", views.run_detail, name="run"),
    path("risk/runs/<int:run_id>/status/", views.run_status, name="run_status"),
    path("risk/runs/<int:run_id>/regions/<str:code>/", views.region_profile, name="region"),
    path("risk/runs/<int:run_id>/targeting/", views.targeting, name="targeting"),
    path("risk/runs/<int:run_id>/map.png", views.run_map_export, {"fmt": "png"}, name="map_png"),
    path("risk/runs/<int:run_id>/map.pdf", views.run_map_export, {"fmt": "pdf"}, name="map_pdf"),
    path("risk/runs/<int:run_id>/export.csv", views.export_csv, name="export_csv"),
    path("risk/runs/<int:run_id>/export.xlsx", views.export_xlsx, name="export_xlsx"),
]
