from django.urls import path

from safeguard.learning import apis

urlpatterns = [
    path("learning/courses", apis.CourseListApi.as_view(), name="learning-courses"),
    path("learning/completions", apis.CompletionsByRegionApi.as_view(), name="learning-completions"),
    path("learning/coverage", apis.CoverageApi.as_view(), name="learning-coverage"),
]
