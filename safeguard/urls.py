from django.urls import include, path

urlpatterns = [
    path("", include("safeguard.core.urls")),
    path("accounts/", include("safeguard.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("safeguard.api.urls")),
]

for _app in ("intake", "cases", "directory", "analytics", "risk"):
    try:
        urlpatterns.append(path("", include(f"safeguard.{_app}.urls")))
    except ModuleNotFoundError as error:
        if error.name != f"safeguard.{_app}.urls":
            raise

handler400 = "safeguard.core.errors.bad_request"
handler403 = "safeguard.core.errors.permission_denied"
handler404 = "safeguard.core.errors.page_not_found"
handler500 = "safeguard.core.errors.server_error"
