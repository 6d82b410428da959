from django.urls import path

from safeguard.sharing import views

app_name = "sharing"

urlpatterns = [
    path("releases/", views.releases, name="releases"),
    path("releases/new/<str:kind>/", views.release_new, name="release_new"),
    path("releases/budget/", views.budget, name="budget"),
    path("releases/<int:release_id>/", views.release_detail, name="release"),
    path("releases/<int:release_id>/status/", views.release_status, name="release_status"),
    path("releases/<int:release_id>/decide/", views.release_decide, name="release_decide"),
    path("releases/<int:release_id>/publish/", views.release_publish, name="release_publish"),
    path(
        "releases/<int:release_id>/release.<str:file_format>", views.release_download, name="release_download"
    ),
    path("statistics/<slug:slug>/", views.public_statistics, name="public"),
    path(
        "statistics/<slug:slug>/<int:release_id>.<str:file_format>",
        views.public_download,
        name="public_download",
    ),
]
