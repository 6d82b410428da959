from django.urls import path

from safeguard.directory import views

app_name = "directory"

urlpatterns = [
    path("directory/services/", views.service_list, name="services"),
    path("directory/services/new/", views.service_edit, name="service_new"),
    path("directory/services/<int:pk>/edit/", views.service_edit, name="service_edit"),
    path("hotlines/", views.hotlines, name="hotlines"),
    path("hotlines/<int:hotline_id>/", views.hotline_edit, name="hotline_edit"),
    path("hotlines/proposals/<int:proposal_id>/", views.hotline_review, name="hotline_review"),
    path("hotlines/ours/", views.our_hotlines, name="our_hotlines"),
    path("hotlines/ours/<int:hotline_id>/", views.our_hotline_edit, name="our_hotline_edit"),
]
