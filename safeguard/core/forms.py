"""Running a form's service call from a view: the one way pages show a service's errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest


def apply_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's validation error on the form, field by field where the form has the field.

    A message for a field the form does not show becomes a form-wide error, so nothing is lost
    (``add_error`` would raise for an unknown field name).
    """
    if hasattr(error, "error_dict"):
        for name, field_messages in error.message_dict.items():
            form.add_error(name if name in form.fields else None, field_messages)
    else:
        form.add_error(None, error.messages)


def submitted(request: HttpRequest, form: forms.BaseForm, write: Callable[[], Any], success: str) -> bool:
    """Run ``write`` (a service call) for a valid POSTed form; True once it succeeded.

    A service's validation error is shown on the form, which keeps what was typed; on success
    ``success`` is flashed to the user.
    """
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        write()
    except ValidationError as error:
        apply_service_errors(form, error)
        return False
    messages.success(request, success)
    return True
