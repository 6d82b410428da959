"""The organisation admin's pages: the list of custom fields, add, change, retire, restore."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from safeguard.accounts.access import actor_for
from safeguard.accounts.permissions import staff_view
from safeguard.core.forms import apply_service_errors
from safeguard.customfields.forms import FieldDefinitionForm
from safeguard.customfields.models import FieldDefinition
from safeguard.customfields.selectors import definition_of_organisation, definitions_of_organisation
from safeguard.customfields.services import MANAGE, field_change, field_define, field_restore, field_retire


@staff_view(MANAGE)
def field_list(request: HttpRequest) -> HttpResponse:
    definitions = definitions_of_organisation(actor_for(request))
    return render(request, "customfields/list.html", {"definitions": definitions})


@staff_view(MANAGE)
def field_new(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    form = FieldDefinitionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            field_define(
                actor=actor,
                form=form.cleaned_data["form"],
                key=form.cleaned_data["key"],
                kind=form.cleaned_data["kind"],
                settings_=form.field_settings(),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Field added. It is on its form now."))
            return redirect("customfields:list")
    return _form_page(request, form, _("New field"))


def _definition(request: HttpRequest, pk: int) -> FieldDefinition:
    definition = definition_of_organisation(actor_for(request), pk)
    if definition is None:
        raise Http404("custom field")
    return definition


@staff_view(MANAGE)
def field_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    definition = _definition(request, pk)
    form = FieldDefinitionForm(request.POST or None, definition=definition)
    if request.method == "POST" and form.is_valid():
        try:
            field_change(actor=actor, definition=definition, settings_=form.field_settings())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Field saved."))
            return redirect("customfields:list")
    return _form_page(request, form, _("Change the field “%(label)s”") % {"label": definition.label})


def _form_page(request: HttpRequest, form: FieldDefinitionForm, title: str) -> HttpResponse:
    return render(
        request,
        "customfields/edit.html",
        {"form": form, "title": title},
        status=400 if form.is_bound and form.errors else 200,
    )


@require_POST
@staff_view(MANAGE)
def field_retire_view(request: HttpRequest, pk: int) -> HttpResponse:
    definition = _definition(request, pk)
    try:
        field_retire(actor=actor_for(request), definition=definition)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Field retired. The values already recorded are kept."))
    return redirect("customfields:list")


@require_POST
@staff_view(MANAGE)
def field_restore_view(request: HttpRequest, pk: int) -> HttpResponse:
    field_restore(actor=actor_for(request), definition=_definition(request, pk))
    messages.success(request, _("Field restored to its form."))
    return redirect("customfields:list")
