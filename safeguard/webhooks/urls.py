from django.urls import path

from safeguard.webhooks import views

app_name = "webhooks"

urlpatterns = [
    path("webhooks/", views.endpoint_list, name="endpoints"),
    path("webhooks/new/", views.endpoint_new, name="endpoint_new"),
    path("webhooks/<int:endpoint_id>/", views.endpoint_detail, name="endpoint"),
    path("webhooks/<int:endpoint_id>/<str:action>/", views.endpoint_action, name="endpoint_action"),
]
