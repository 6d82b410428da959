"""Background work of accounts: e-mails whose timing must not reveal whether an account exists."""

from __future__ import annotations

from django.contrib.auth.forms import PasswordResetForm
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django_tasks import task

from safeguard.accounts.models import User


@task()
def send_lockout_notice(*, email: str, minutes: int) -> int:
    """Tell the holder of ``email`` (if there is one) that sign-in from an address was paused."""
    user = User.objects.filter(email=email, is_active=True).first()
    if user is None:
        return 0
    body = render_to_string("accounts/email/locked_out.txt", {"user": user, "minutes": minutes})
    send_mail("Safeguard: failed sign-ins to your account", body, None, [user.email])
    return 1


@task()
def send_password_reset(*, email: str, domain: str, use_https: bool) -> int:
    """Send the reset link to ``email`` if it belongs to an active account; nothing otherwise."""
    form = PasswordResetForm(data={"email": email})
    if not form.is_valid():
        return 0
    form.save(
        domain_override=domain,
        use_https=use_https,
        email_template_name="accounts/email/password_reset.txt",
        subject_template_name="registration/password_reset_subject.txt",
    )
    return 1
