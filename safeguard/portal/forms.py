from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class AuditFilterForm(forms.Form):
    action = forms.CharField(label=_("Action starts with"), max_length=100, required=False)
    actor = forms.CharField(label=_("Actor e-mail contains"), max_length=200, required=False)
    object_type = forms.CharField(label=_("Object type"), max_length=100, required=False)
    since = forms.DateField(label=_("From"), required=False)
    until = forms.DateField(label=_("To"), required=False)
