from django.urls import path

from safeguard.portal import health, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("audit/", views.audit_log, name="audit"),
    path("audit/platform/", views.platform_audit_log, name="platform_audit"),
    path("health/", health.health, name="health"),
]
