from django.urls import include, path

urlpatterns = [
    path("", include("safeguard.portal.urls")),
    path("accounts/", include("safeguard.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("safeguard.api.urls")),
    path("", include("safeguard.intake.urls")),
    path("", include("safeguard.cases.urls")),
    path("", include("safeguard.directory.urls")),
    path("", include("safeguard.analytics.urls")),
    path("", include("safeguard.risk.urls")),
    path("", include("safeguard.collaboration.urls")),
    path("", include("safeguard.learning.urls")),
    path("", include("safeguard.sharing.urls")),
]

handler400 = "safeguard.core.errors.bad_request"
handler403 = "safeguard.core.errors.permission_denied"
handler404 = "safeguard.core.errors.page_not_found"
handler500 = "safeguard.core.errors.server_error"
