from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safeguard.accounts.models import Organisation


class AuditFilterForm(forms.Form):
    action = forms.CharField(label=_("Action starts with"), max_length=100, required=False)
    actor = forms.CharField(label=_("Actor e-mail contains"), max_length=200, required=False)
    object_type = forms.CharField(label=_("Object type"), max_length=100, required=False)
    since = forms.DateField(label=_("From"), required=False)
    until = forms.DateField(label=_("To"), required=False)


class PlatformAuditFilterForm(AuditFilterForm):
    PLATFORM_WIDE = "platform"

    organisation = forms.ChoiceField(label=_("Organisation"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisation = self.fields["organisation"]
        assert isinstance(organisation, forms.ChoiceField)
        organisation.choices = [
            ("", _("Every organisation and the platform")),
            (self.PLATFORM_WIDE, _("The platform itself (no organisation)")),
            *(
                (str(pk), name)
                for pk, name in Organisation.objects.order_by("name").values_list("pk", "name")
            ),
        ]
