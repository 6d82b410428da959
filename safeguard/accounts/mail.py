"""E-mails to one user, written in their language."""

from __future__ import annotations

from typing import Any

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from safeguard.accounts.models import User


def send_to_user(user: User, subject: Any, template: str, context: dict[str, Any]) -> None:
    """Send ``template`` to ``user`` in the language kept on their account, else the one active
    now (the sender's page, or English in a background task). ``subject`` is a lazy translation."""
    with translation.override(user.language or translation.get_language()):
        subject_text = str(subject)
        body = render_to_string(template, {"user": user, **context})
    send_mail(subject_text, body, None, [user.email])
