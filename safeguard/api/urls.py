"""``/api/v1/``: this app's own endpoints plus every app's ``api_urls`` module."""

from importlib import import_module

from django.apps import apps
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from safeguard.api import views


def _app_api_patterns() -> list:
    patterns = []
    for config in apps.get_app_configs():
        if not config.name.startswith("safeguard.") or config.name == "safeguard.api":
            continue
        try:
            module = import_module(f"{config.name}.api_urls")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.api_urls":
                raise
            continue
        patterns.append(path("", include(module)))
    return patterns


v1 = [path("me", views.MeView.as_view(), name="me"), *_app_api_patterns()]

urlpatterns = [
    path("v1/", include((v1, "api"), namespace="api")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
]
