from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from safeguard.accounts import service_account_views, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.sign_in, name="login"),
    path("logout/", views.sign_out, name="logout"),
    path("mfa/", views.mfa, name="mfa"),
    path("recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("organisation/", views.switch_organisation, name="switch_organisation"),
    path("organisations/", views.organisations, name="organisations"),
    path("organisations/<int:organisation_id>/admin/", views.organisation_admin, name="organisation_admin"),
    path("users/", views.users, name="users"),
    path("time-zone/", views.organisation_time_zone, name="time_zone"),
    path("users/<int:user_id>/", views.user_edit, name="user_edit"),
    path("service-accounts/", service_account_views.service_accounts, name="service_accounts"),
    path("service-accounts/<int:account_id>/", service_account_views.service_account, name="service_account"),
    path(
        "service-accounts/<int:account_id>/tokens/<int:token_id>/revoke/",
        service_account_views.service_account_token_revoke,
        name="service_account_token_revoke",
    ),
    path(
        "service-accounts/<int:account_id>/<str:action>/",
        service_account_views.service_account_action,
        name="service_account_action",
    ),
    path("tokens/", views.api_tokens, name="api_tokens"),
    path("tokens/<int:token_id>/revoke/", views.api_token_revoke, name="api_token_revoke"),
    path("password-reset/", views.password_reset, name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
]
