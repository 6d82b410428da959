from django.urls import path

from safeguard.directory import apis

urlpatterns = [
    path("directory/services", apis.ServiceListApi.as_view(), name="services"),
    path("directory/services/<int:pk>", apis.ServiceDetailApi.as_view(), name="service"),
    path("public/hotlines", apis.PublicHotlinesApi.as_view(), name="public-hotlines"),
]
