from django.urls import path

from safeguard.directory import views

app_name = "directory"

urlpatterns = [
    path("directory/services/", views.service_list, name="services"),
    path("directory/services/new/", views.service_edit, name="service_new"),
    path("directory/services/<int:pk>/edit/", views.service_edit, name="service_edit"),
    path("hotlines/", views.hotlines, name="hotlines"),
    path("hotlines/<int:hotline_id>/", views.hotline_edit, name="hotline_edit"),
]
