"""``/api/v1/``: this app's own endpoints plus every domain app's ``api_urls`` module."""

from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from safeguard.api import views

v1: list[URLPattern | URLResolver] = [
    path("me", views.MeView.as_view(), name="me"),
    path("", include("safeguard.intake.api_urls")),
    path("", include("safeguard.cases.api_urls")),
    path("", include("safeguard.customfields.api_urls")),
    path("", include("safeguard.analytics.api_urls")),
    path("", include("safeguard.risk.api_urls")),
    path("", include("safeguard.collaboration.api_urls")),
    path("", include("safeguard.learning.api_urls")),
    path("", include("safeguard.legal.api_urls")),
    path("", include("safeguard.sharing.api_urls")),
    path("", include("safeguard.directory.api_urls")),
    path("", include("safeguard.webhooks.api_urls")),
]

urlpatterns = [
    path("v1/", include((v1, "api"), namespace="api")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
]
