from django.urls import path

from safeguard.intake import apis, flag_apis, handover_apis, report_apis

urlpatterns = [
    path("public/reports", apis.PublicReportApi.as_view(), name="public-reports"),
    path("public/follow-up", apis.PublicFollowUpApi.as_view(), name="public-follow-up"),
    path("handovers", handover_apis.HandoverListApi.as_view(), name="handovers"),
    path("handovers/<int:pk>", handover_apis.HandoverDetailApi.as_view(), name="handover"),
    path("handovers/<int:pk>/accept", handover_apis.HandoverAcceptApi.as_view(), name="handover-accept"),
    path("handovers/<int:pk>/decline", handover_apis.HandoverDeclineApi.as_view(), name="handover-decline"),
    path("handovers/<int:pk>/close", handover_apis.HandoverCloseApi.as_view(), name="handover-close"),
]

# Triage and escalation for integrators (``report_apis``).
urlpatterns += [
    path("reports", report_apis.ReportListApi.as_view(), name="reports"),
    path("reports/export.csv", report_apis.ReportExportApi.as_view(), name="reports-export"),
    path("reports/<int:pk>", report_apis.ReportDetailApi.as_view(), name="report"),
    path("reports/<int:pk>/assign", report_apis.ReportAssignApi.as_view(), name="report-assign"),
    path("reports/<int:pk>/status", report_apis.ReportStatusApi.as_view(), name="report-status"),
    path("reports/<int:pk>/notes", report_apis.ReportNoteApi.as_view(), name="report-notes"),
    path("reports/<int:pk>/questions", report_apis.ReportQuestionApi.as_view(), name="report-questions"),
    path("reports/<int:pk>/route", report_apis.ReportRouteApi.as_view(), name="report-route"),
    path("reports/<int:pk>/escalate", report_apis.ReportEscalateApi.as_view(), name="report-escalate"),
    path("reports/<int:pk>/merge", report_apis.ReportMergeApi.as_view(), name="report-merge"),
    path("escalations", report_apis.EscalationListApi.as_view(), name="escalations"),
    path("escalations/<int:pk>", report_apis.EscalationDetailApi.as_view(), name="escalation"),
    path(
        "escalations/<int:pk>/outcome", report_apis.EscalationOutcomeApi.as_view(), name="escalation-outcome"
    ),
]

# Flags, as on the report page (``flag_apis``).
urlpatterns += [
    path("reports/<int:pk>/flags", flag_apis.ReportFlagsApi.as_view(), name="report-flags"),
    path(
        "report-flags/<int:pk>/resolve", flag_apis.ReportFlagResolveApi.as_view(), name="report-flag-resolve"
    ),
]
