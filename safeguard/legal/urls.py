from django.urls import path

from safeguard.legal import matter_views, views

app_name = "legal"
urlpatterns = [
    path("legal/", views.registry_home, name="home"),
    path("legal/instruments/new/", views.instrument_edit, name="instrument_new"),
    path("legal/instruments/<slug:code>/", views.instrument_detail, name="instrument"),
    path("legal/instruments/<slug:code>/edit/", views.instrument_edit, name="instrument_edit"),
    path("legal/duties/", views.duty_settings, name="duty_settings"),
    path("legal/statistics/", views.statistics, name="statistics"),
    path("legal/calendar/", matter_views.calendar, name="calendar"),
    path("legal/report-duties/<int:pk>/fulfil/", views.report_duty_fulfil, name="report_duty_fulfil"),
    path("legal/reports/<int:pk>/provisions/", views.report_provisions, name="report_provisions"),
    path("legal/cases/<int:case_id>/matters/new/", matter_views.matter_new, name="matter_new"),
    path("legal/matters/<int:pk>/", matter_views.matter_detail, name="matter"),
    path("legal/matters/<int:pk>/edit/", matter_views.matter_edit, name="matter_edit"),
    path("legal/matters/<int:pk>/compensation/", matter_views.compensation, name="compensation"),
    path("legal/matters/<int:pk>/hearings/new/", matter_views.hearing_new, name="hearing_new"),
    path("legal/matters/<int:pk>/measures/new/", matter_views.measure_new, name="measure_new"),
    path("legal/hearings/<int:pk>/prepare/", matter_views.hearing_prepare, name="hearing_prepare"),
    path("legal/hearings/<int:pk>/record/", matter_views.hearing_record, name="hearing_record"),
    path("legal/measures/<int:pk>/decide/", matter_views.measure_decide, name="measure_decide"),
    # A jurisdiction's profile, by its ISO 3166 code ("new" for a jurisdiction not created yet)
    path("legal/<str:code>/", views.jurisdiction_detail, name="jurisdiction"),
    path("legal/<str:code>/import/", views.profile_import, name="import"),
    path("legal/<str:code>/export.<str:extension>", views.profile_export, name="export"),
    path("legal/<str:code>/editors/", views.editors, name="editors"),
    path("legal/<str:code>/<str:record>/new/", views.entry_edit, name="entry_new"),
    path("legal/<str:code>/<str:record>/<int:pk>/", views.entry_edit, name="entry_edit"),
    path("legal/<str:code>/<str:record>/<int:pk>/delete/", views.entry_delete, name="entry_delete"),
]
