from django.urls import include, path

from safeguard.accounts.views import choose_language

urlpatterns = [
    path("", include("safeguard.portal.urls")),
    path("accounts/", include("safeguard.accounts.urls")),
    # Without a CSRF token for public visitors, so that public pages set no cookie before a visitor
    # picks a language (decision 090); a forged request could only change someone's language.
    path("i18n/setlang/", choose_language, name="set_language"),
    path("api/", include("safeguard.api.urls")),
    path("", include("safeguard.intake.urls")),
    path("", include("safeguard.cases.urls")),
    path("", include("safeguard.customfields.urls")),
    path("", include("safeguard.tracing.urls")),
    path("", include("safeguard.directory.urls")),
    path("", include("safeguard.analytics.urls")),
    path("", include("safeguard.risk.urls")),
    path("", include("safeguard.collaboration.urls")),
    path("", include("safeguard.learning.urls")),
    path("", include("safeguard.legal.urls")),
    path("", include("safeguard.sharing.urls")),
    path("", include("safeguard.webhooks.urls")),
]

handler400 = "safeguard.core.errors.bad_request"
handler403 = "safeguard.core.errors.permission_denied"
handler404 = "safeguard.core.errors.page_not_found"
handler500 = "safeguard.core.errors.server_error"
