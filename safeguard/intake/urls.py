from django.urls import path

from safeguard.intake import views

app_name = "intake"

urlpatterns = [
    path("report/", views.public_report, name="public_report"),
    path("report/follow-up/", views.follow_up, name="follow_up"),
    path("reports/", views.queue, name="queue"),
    path("reports/new/", views.report_new, name="report_new"),
    path("reports/<int:report_id>/", views.report_detail, name="report"),
    path("reports/<int:report_id>/status/", views.report_status, name="report_status"),
    path("reports/<int:report_id>/assign/", views.report_assign, name="report_assign"),
    path("reports/<int:report_id>/notes/", views.report_note, name="report_note"),
    path("reports/<int:report_id>/questions/", views.report_question, name="report_question"),
    path("reports/<int:report_id>/route/", views.report_route, name="report_route"),
    path("reports/<int:report_id>/duplicate/", views.report_duplicate, name="report_duplicate"),
    path("reports/<int:report_id>/escalate/", views.report_escalate, name="report_escalate"),
    path("reports/routing/", views.routing_rules, name="routing"),
    path("reports/routing/<int:rule_id>/delete/", views.routing_rule_delete, name="routing_delete"),
    path("reports/channels/", views.partner_channels, name="channels"),
    path("reports/channels/<int:channel_id>/revoke/", views.partner_channel_revoke, name="channel_revoke"),
    path("reports/notifications/", views.notifications, name="notifications"),
    path("escalations/", views.escalations, name="escalations"),
    path("escalations/<int:escalation_id>/", views.escalation_detail, name="escalation"),
    path(
        "escalations/<int:escalation_id>/package.<str:fmt>",
        views.escalation_download,
        name="escalation_download",
    ),
]
