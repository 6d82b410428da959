"""Recording and withdrawing consent."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from safeguard.accounts.access import actor_for
from safeguard.accounts.permissions import staff_view
from safeguard.cases import forms
from safeguard.cases.access import case_for, consent_for
from safeguard.cases.services import consents
from safeguard.cases.views.base import action_page
from safeguard.core.forms import submitted


@staff_view("case.edit")
def consent_new(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    case = case_for(actor, pk, action="case.edit")
    form = forms.ConsentForm(request.POST or None)
    if submitted(
        request,
        form,
        lambda: consents.consent_record(actor=actor, case=case, **form.cleaned_data),
        _("Consent recorded."),
    ):
        return redirect("cases:detail", pk=case.pk)
    return action_page(request, form=form, title=_("Record consent"), submit=_("Save consent"), case=case)


@require_POST
@staff_view("case.edit")
def consent_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    consent = consent_for(actor, pk)
    case = consent.case
    try:
        consents.consent_withdraw(actor=actor, consent=consent)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Consent withdrawn."))
    return redirect("cases:detail", pk=case.pk)
