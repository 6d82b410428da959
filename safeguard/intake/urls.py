from django.urls import path

from safeguard.intake.channels import views as channels
from safeguard.intake.views import admin, duplicates, escalation, notifications, public, queue_views, triage

app_name = "intake"

urlpatterns = [
    path("report/", public.public_report, name="public_report"),
    path("report/follow-up/", public.follow_up, name="follow_up"),
    path("report/sent/<str:key>/", public.public_receipt, name="public_receipt"),
    path("report/sw.js", public.service_worker, name="public_service_worker"),
    path("report/manifest.webmanifest", public.manifest, name="public_manifest"),
    path("reports/", triage.queue, name="queue"),
    path("reports/new/", triage.report_new, name="report_new"),
    path("reports/views/new/", queue_views.queue_view_new, name="queue_view_new"),
    path("reports/views/<int:pk>/", queue_views.queue_view_open, name="queue_view"),
    path("reports/views/<int:pk>/delete/", queue_views.queue_view_delete_view, name="queue_view_delete"),
    path("reports/<int:report_id>/", triage.report_detail, name="report"),
    path("reports/<int:report_id>/status/", triage.report_status, name="report_status"),
    path("reports/<int:report_id>/assign/", triage.report_assign, name="report_assign"),
    path("reports/<int:report_id>/notes/", triage.report_note, name="report_note"),
    path("reports/<int:report_id>/flags/", triage.report_flag, name="report_flag"),
    path("reports/flags/<int:flag_id>/resolve/", triage.report_flag_resolve, name="report_flag_resolve"),
    path("reports/<int:report_id>/questions/", triage.report_question, name="report_question"),
    path("reports/<int:report_id>/route/", triage.report_route, name="report_route"),
    path("reports/<int:report_id>/duplicate/", triage.report_duplicate, name="report_duplicate"),
    path("reports/<int:report_id>/escalate/", escalation.report_escalate, name="report_escalate"),
    path("reports/<int:report_id>/handover/accept/", triage.handover_accept, name="handover_accept"),
    path("reports/<int:report_id>/handover/decline/", triage.handover_decline, name="handover_decline"),
    path("reports/<int:report_id>/handover/close/", triage.handover_close, name="handover_close"),
    path("reports/routing/", admin.routing_rules, name="routing"),
    path("reports/routing/handover-emails/", admin.handover_settings, name="handover_settings"),
    path("reports/routing/<int:rule_id>/delete/", admin.routing_rule_delete, name="routing_delete"),
    path("reports/channels/", admin.partner_channels, name="channels"),
    path("reports/channels/<int:channel_id>/revoke/", admin.partner_channel_revoke, name="channel_revoke"),
    path("reports/messaging/", channels.channel_list, name="messaging_channels"),
    path("reports/messaging/<int:channel_id>/", channels.channel_detail, name="messaging_channel"),
    path("reports/messaging/<int:channel_id>/test/", channels.channel_test, name="messaging_channel_test"),
    path(
        "reports/<int:report_id>/channel-reply/", channels.report_channel_reply, name="report_channel_reply"
    ),
    # Provider webhooks: the key names the channel; each checks the provider's signature or secret.
    path("channels/in/<str:key>/", channels.inbound, name="channel_inbound"),
    path("channels/status/<str:key>/", channels.delivery_status, name="channel_status"),
    path("reports/notifications/", notifications.notifications, name="notifications"),
    path("escalations/", escalation.escalations, name="escalations"),
    path("escalations/<int:escalation_id>/", escalation.escalation_detail, name="escalation"),
    path(
        "escalations/<int:escalation_id>/package.<str:fmt>",
        escalation.escalation_download,
        name="escalation_download",
    ),
    path(
        "reports/<int:report_id>/suggestions/merge/",
        duplicates.report_suggestion_merge,
        name="report_suggestion_merge",
    ),
    path(
        "reports/<int:report_id>/suggestions/dismiss/",
        duplicates.report_suggestion_dismiss,
        name="report_suggestion_dismiss",
    ),
]
