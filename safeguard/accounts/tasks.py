"""Background work of accounts: e-mails whose timing must not reveal whether an account exists."""

from __future__ import annotations

from django.contrib.auth.forms import PasswordResetForm
from django.utils import translation
from django.utils.translation import gettext_lazy
from django_tasks import task

from safeguard.accounts.mail import send_to_user
from safeguard.accounts.models import User


@task()
def send_lockout_notice(*, email: str, minutes: int) -> int:
    """Tell the holder of ``email`` (if there is one) that sign-in from an address was paused."""
    user = User.objects.filter(email=email, is_active=True).first()
    if user is None:
        return 0
    subject = gettext_lazy("Safeguard: failed sign-ins to your account")
    send_to_user(user, subject, "accounts/email/locked_out.txt", {"minutes": minutes})
    return 1


@task()
def send_password_reset(*, email: str, domain: str, use_https: bool) -> int:
    """Send the reset link to ``email`` if it belongs to an active account; nothing otherwise."""
    form = PasswordResetForm(data={"email": email})
    if not form.is_valid():
        return 0
    user = User.objects.filter(email=email, is_active=True).first()
    with translation.override(getattr(user, "language", "") or translation.get_language()):
        form.save(
            domain_override=domain,
            use_https=use_https,
            email_template_name="accounts/email/password_reset.txt",
            subject_template_name="registration/password_reset_subject.txt",
        )
    return 1
