from django.urls import path

from safeguard.collaboration import apis

urlpatterns = [
    path("task-forces", apis.TaskForceListApi.as_view(), name="task-forces"),
    path("task-forces/<int:pk>", apis.TaskForceDetailApi.as_view(), name="task-force"),
    path("task-forces/<int:pk>/shares", apis.TaskForceShareListApi.as_view(), name="task-force-shares"),
    path("shares/<int:pk>", apis.ShareDetailApi.as_view(), name="share"),
    path("shares/<int:pk>/revoke", apis.ShareRevokeApi.as_view(), name="share-revoke"),
    path("requests", apis.RequestListApi.as_view(), name="requests"),
    path("requests/<int:pk>", apis.RequestDetailApi.as_view(), name="request"),
    path("requests/<int:pk>/respond", apis.RequestRespondApi.as_view(), name="request-respond"),
    path("notices", apis.NoticeListApi.as_view(), name="notices"),
    path("notices/<int:pk>", apis.NoticeDetailApi.as_view(), name="notice"),
    path(
        "notices/<int:pk>/access-request", apis.NoticeAccessRequestApi.as_view(), name="notice-access-request"
    ),
    path(
        "access-requests/<int:pk>/decide", apis.AccessRequestDecideApi.as_view(), name="access-request-decide"
    ),
]
