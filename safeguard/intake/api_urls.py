from django.urls import path

from safeguard.intake import apis, handover_apis

urlpatterns = [
    path("public/reports", apis.PublicReportApi.as_view(), name="public-reports"),
    path("public/follow-up", apis.PublicFollowUpApi.as_view(), name="public-follow-up"),
    path("handovers", handover_apis.HandoverListApi.as_view(), name="handovers"),
    path("handovers/<int:pk>", handover_apis.HandoverDetailApi.as_view(), name="handover"),
    path("handovers/<int:pk>/accept", handover_apis.HandoverAcceptApi.as_view(), name="handover-accept"),
    path("handovers/<int:pk>/decline", handover_apis.HandoverDeclineApi.as_view(), name="handover-decline"),
    path("handovers/<int:pk>/close", handover_apis.HandoverCloseApi.as_view(), name="handover-close"),
]
