from django.urls import path

from safeguard.risk import apis

urlpatterns = [
    path("risk/regions", apis.RegionListApi.as_view(), name="risk-regions"),
    path("risk/regions/<str:code>", apis.RegionDetailApi.as_view(), name="risk-region"),
    path("risk/runs", apis.RunListApi.as_view(), name="risk-runs"),
    path("risk/runs/<int:run_id>", apis.RunDetailApi.as_view(), name="risk-run"),
    path("risk/runs/<int:run_id>/results", apis.RunResultListApi.as_view(), name="risk-run-results"),
]
