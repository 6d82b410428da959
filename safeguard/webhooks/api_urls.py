from django.urls import path

from safeguard.webhooks import apis

urlpatterns = [
    path("webhooks", apis.EndpointListApi.as_view(), name="webhooks"),
    path("webhooks/<int:pk>", apis.EndpointDetailApi.as_view(), name="webhook"),
    path("webhooks/<int:pk>/pause", apis.EndpointPauseApi.as_view(), name="webhook-pause"),
    path("webhooks/<int:pk>/resume", apis.EndpointResumeApi.as_view(), name="webhook-resume"),
    path("webhooks/<int:pk>/test", apis.EndpointTestApi.as_view(), name="webhook-test"),
    path(
        "webhooks/<int:pk>/rotate-secret",
        apis.EndpointRotateSecretApi.as_view(),
        name="webhook-rotate-secret",
    ),
    path("webhooks/<int:pk>/deliveries", apis.EndpointDeliveriesApi.as_view(), name="webhook-deliveries"),
]
