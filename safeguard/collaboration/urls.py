from django.urls import path

from safeguard.collaboration import views

app_name = "collaboration"

urlpatterns = [
    path("collaboration/", views.home, name="home"),
    path("collaboration/task-forces/new/", views.task_force_new, name="task_force_new"),
    path("collaboration/task-forces/<int:pk>/", views.workspace, name="workspace"),
    path("collaboration/task-forces/<int:pk>/members/", views.members, name="members"),
    path("collaboration/task-forces/<int:pk>/requests/new/", views.request_new, name="request_new"),
    path("collaboration/actions/<int:pk>/", views.action_status, name="action_status"),
    path("collaboration/operations/<int:pk>/", views.operation_outcome, name="operation_outcome"),
    path("collaboration/shares/<int:pk>/", views.share_detail, name="share"),
    path("collaboration/requests/", views.request_list, name="requests"),
    path("collaboration/requests/<int:pk>/", views.request_detail, name="request"),
    path("collaboration/notices/", views.notice_list, name="notices"),
    path("collaboration/notices/<int:pk>/", views.notice_detail, name="notice"),
    path("collaboration/access-requests/<int:pk>/", views.access_request_detail, name="access_request"),
    path("collaboration/settings/", views.settings_page, name="settings"),
]
