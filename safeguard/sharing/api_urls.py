from django.urls import path

from safeguard.sharing import apis

urlpatterns = [
    path("releases", apis.ReleaseListApi.as_view(), name="sharing-releases"),
    path("releases/<int:pk>", apis.ReleaseDetailApi.as_view(), name="sharing-release"),
    path("releases/<int:pk>/decide", apis.ReleaseDecisionApi.as_view(), name="sharing-release-decide"),
    path("privacy-budget", apis.BudgetApi.as_view(), name="sharing-budget"),
]
