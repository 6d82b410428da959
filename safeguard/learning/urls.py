from django.urls import path

from safeguard.learning import account_views, authoring_views, certificate_views, coverage_views, views

app_name = "learning"

urlpatterns = [
    path("learn/", views.course_list, name="courses"),
    path("learn/sw.js", views.service_worker, name="service_worker"),
    path("learn/manifest.webmanifest", views.manifest, name="manifest"),
    path("learn/account/", account_views.account, name="account"),
    path("learn/hotlines/", views.hotlines, name="hotlines"),
    path("learn/signs/<slug:audience>/", views.learn_the_signs, name="signs"),
    path("learn/signs/<slug:audience>/leaflet.pdf", views.leaflet, name="leaflet"),
    path("learn/verify/", certificate_views.verify, name="verify"),
    path("learn/verify/<str:code>/", certificate_views.verify_code, name="verify_code"),
    path(
        "learn/certificates/<int:certificate_id>.pdf",
        certificate_views.certificate_download,
        name="certificate",
    ),
    path("learn/manage/", authoring_views.manage, name="manage"),
    path("learn/manage/new/", authoring_views.course_edit, name="course_new"),
    path("learn/manage/import/", authoring_views.course_import, name="import"),
    path("learn/manage/preview/", authoring_views.preview, name="preview"),
    path("learn/manage/coverage/", coverage_views.coverage, name="coverage"),
    path("learn/manage/records.json", coverage_views.records_export, name="records"),
    path("learn/manage/assignments/", authoring_views.assignments, name="assignments"),
    path("learn/manage/<slug:slug>/", authoring_views.course_edit, name="course_edit"),
    path("learn/manage/<slug:slug>/publish/", authoring_views.course_publish, name="publish"),
    path("learn/manage/<slug:slug>/export.<str:kind>", authoring_views.course_export, name="export"),
    path("learn/<slug:slug>/", views.course_detail, name="course"),
    path("learn/<slug:slug>/lessons/<int:number>/", views.lesson, name="lesson"),
    path("learn/<slug:slug>/quiz/", views.quiz, name="quiz"),
    path("learn/<slug:slug>/start-over/", views.start_over, name="start_over"),
]
