from django.urls import path

from safeguard.intake import apis

urlpatterns = [
    path("public/reports", apis.PublicReportApi.as_view(), name="public-reports"),
    path("public/follow-up", apis.PublicFollowUpApi.as_view(), name="public-follow-up"),
]
